package dev.sluice.breaker;

import dev.sluice.SluiceException;
import java.time.Duration;
import java.util.Objects;

/**
 * Thrown instead of running a call when a {@link CircuitBreaker} does not admit it. It says when
 * trying again makes sense: {@link #retryAfter()}.
 */
public final class CircuitOpenException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /** The name of the breaker that rejected the call. */
  private final String breakerName;

  /** The breaker's state when it rejected the call. */
  private final CircuitState state;

  /** How long until the breaker may admit a call. */
  private final Duration retryAfter;

  /**
   * Creates the exception.
   *
   * @param breakerName the name of the breaker that rejected the call
   * @param state the breaker's state when it rejected the call
   * @param retryAfter how long until the breaker may admit a call again (a hint, never negative)
   */
  public CircuitOpenException(String breakerName, CircuitState state, Duration retryAfter) {
    super("circuit breaker '" + breakerName + "' is " + state + "; retry after " + retryAfter);
    this.breakerName = Objects.requireNonNull(breakerName, "breakerName");
    this.state = Objects.requireNonNull(state, "state");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  /**
   * The name of the breaker that rejected the call.
   *
   * @return the name
   */
  public String breakerName() {
    return breakerName;
  }

  /**
   * The breaker's state when it rejected the call.
   *
   * @return {@link CircuitState#OPEN}, {@link CircuitState#HALF_OPEN} (all probes taken) or {@link
   *     CircuitState#FORCED_OPEN}
   */
  public CircuitState state() {
    return state;
  }

  /**
   * How long until the breaker may admit a call: the rest of the open delay, or in half-open state
   * the time until a probe permit could be free again. For {@link CircuitState#FORCED_OPEN} it is
   * the base open delay, a hint only: the breaker stays open until reset.
   *
   * @return the delay, never negative
   */
  public Duration retryAfter() {
    return retryAfter;
  }
}
