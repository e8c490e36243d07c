/**
 * Time as the policies see it: a {@link dev.sluice.time.TimeSource} with a system and a manual
 * implementation, and nanosecond and duration arithmetic.
 */
@NullMarked
package dev.sluice.time;

import org.jspecify.annotations.NullMarked;
