package dev.sluice.event;

import dev.sluice.breaker.CircuitState;
import java.time.Instant;

/**
 * A circuit breaker changed state; told exactly once per transition.
 *
 * @param breakerName the breaker's name
 * @param from the state before
 * @param to the state after
 * @param at when it happened, on the breaker's time source
 */
public record BreakerTransitioned(
    String breakerName, CircuitState from, CircuitState to, Instant at) implements PolicyEvent {}
