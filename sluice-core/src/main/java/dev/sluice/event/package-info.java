/**
 * The one event model of the outbound policies: {@link dev.sluice.event.PolicyEvent}, a sealed
 * family of records, heard by a {@link dev.sluice.event.PolicyListener} registered on a breaker, a
 * retry policy or a throttle.
 */
@NullMarked
package dev.sluice.event;

import org.jspecify.annotations.NullMarked;
