package dev.sluice.breaker;

import java.time.Instant;

/**
 * One change of a breaker's state, as told to a {@link CircuitBreakerListener}.
 *
 * @param breakerName the breaker's name
 * @param from the state before
 * @param to the state after
 * @param at when it happened, on the breaker's time source
 */
public record CircuitTransition(
    String breakerName, CircuitState from, CircuitState to, Instant at) {}
