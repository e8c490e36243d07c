package dev.sluice.breaker;

/** The states of a {@link CircuitBreaker}. */
public enum CircuitState {
  /** Calls pass; outcomes are recorded and may trip the breaker. */
  CLOSED,
  /** Calls are rejected until the open delay (or a time set by {@code openUntil}) has passed. */
  OPEN,
  /** A limited number of probe calls pass; their outcomes close or reopen the breaker. */
  HALF_OPEN,
  /** Opened by hand with {@code trip()}: every call is rejected until {@code reset()}. */
  FORCED_OPEN,
  /** Switched off with {@code disable()}: every call passes, nothing is recorded. */
  DISABLED;

  /**
   * Whether calls are rejected in this state (all of them, or all but the probes).
   *
   * @return {@code true} for {@link #OPEN} and {@link #FORCED_OPEN}
   */
  public boolean rejectsCalls() {
    return this == OPEN || this == FORCED_OPEN;
  }
}
