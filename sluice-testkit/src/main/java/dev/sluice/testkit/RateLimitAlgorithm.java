package dev.sluice.testkit;

/**
 * How a {@link RateLimitedServer} decides whether a request fits its limit.
 *
 * <p>A token bucket models APIs that tolerate short bursts; a fixed window models APIs that count
 * requests per calendar slot and reset all at once, the pattern that makes naive clients stampede
 * at the window boundary.
 */
public enum RateLimitAlgorithm {
  /** A bucket of {@code burst} tokens, starting full, refilled continuously at {@code rate}/s. */
  TOKEN_BUCKET,
  /**
   * {@code rate × window} requests per window; windows are aligned to the server start and the
   * count resets at each boundary.
   */
  FIXED_WINDOW
}
