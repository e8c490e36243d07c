package dev.sluice.throttle;

/**
 * Where a {@link Throttle} is in its life, as reported by {@link Throttle#state()} and in a {@link
 * dev.sluice.event.ThrottleStateChanged}.
 */
public enum ThrottleState {
  /** Dispatching at the current limits; speeding up organically if below the ceiling. */
  RUNNING,
  /** Slowed down after failures; speeding up one step per cooling period without failure. */
  COOLING,
  /** The embedded circuit breaker is open: acquires fail fast until it lets a probe through. */
  CIRCUIT_OPEN,
  /** {@link Throttle#drain} is waiting for in-flight work; new acquires are rejected. */
  DRAINING,
  /** {@link Throttle#close} was called: new acquires are rejected, in-flight work may finish. */
  CLOSED
}
