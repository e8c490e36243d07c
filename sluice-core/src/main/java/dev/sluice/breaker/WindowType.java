package dev.sluice.breaker;

/** How the failure-rate window of a {@link CircuitBreakerConfig} is measured. */
public enum WindowType {
  /** The last {@code windowSize} calls. */
  COUNT_BASED,
  /** The calls of the last {@code windowSize} seconds, in one-second buckets. */
  TIME_BASED
}
