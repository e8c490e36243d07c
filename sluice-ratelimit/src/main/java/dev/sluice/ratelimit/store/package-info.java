/**
 * Where rate-limit state lives: the {@link dev.sluice.ratelimit.store.LimitStore} SPI and its
 * in-memory implementation.
 */
@NullMarked
package dev.sluice.ratelimit.store;

import org.jspecify.annotations.NullMarked;
