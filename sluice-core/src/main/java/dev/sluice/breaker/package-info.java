/**
 * Circuit breaker: stops calls to a failing service and probes carefully for its recovery.
 *
 * <p>Start with {@link dev.sluice.breaker.CircuitBreaker#builder()} and a {@link
 * dev.sluice.breaker.CircuitBreakerConfig}. Components that run calls themselves use the permit API
 * ({@link dev.sluice.breaker.CircuitBreaker#acquire()} and {@link
 * dev.sluice.breaker.CircuitPermit}).
 */
@NullMarked
package dev.sluice.breaker;

import org.jspecify.annotations.NullMarked;
