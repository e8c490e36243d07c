package dev.sluice.ratelimit;

import dev.sluice.ConfigException;

/**
 * A rate-limit configuration broke a rule. The message names the key, the rule and the value, for
 * example {@code rules[api].limits[per-second].quota must be >= 1, was 0}.
 */
public final class RateLimitConfigException extends ConfigException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the key, the rule and the offending value
   */
  public RateLimitConfigException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the failure that revealed the problem.
   *
   * @param message the key, the rule and the offending value
   * @param cause what failed while reading the value
   */
  public RateLimitConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Returns a copy whose message is prefixed with where the offending value sits.
   *
   * @param context such as {@code rules[api]}
   * @return a new exception with the message {@code context + "." + message}
   */
  public RateLimitConfigException within(String context) {
    return new RateLimitConfigException(context + "." + getMessage(), this);
  }
}
