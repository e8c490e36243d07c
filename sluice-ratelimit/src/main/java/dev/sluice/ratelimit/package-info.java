/**
 * Keyed server-side rate limiting: {@link dev.sluice.ratelimit.RateLimiter}, its {@link
 * dev.sluice.ratelimit.Limit}s, {@link dev.sluice.ratelimit.Algorithm}s and {@link
 * dev.sluice.ratelimit.Decision}s.
 */
@NullMarked
package dev.sluice.ratelimit;

import org.jspecify.annotations.NullMarked;
