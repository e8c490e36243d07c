package dev.sluice.throttle.sim;

/** What a simulated server says about its limit. */
public enum SimHeaders {
  /** Bare 200 and 429 responses. */
  NONE,
  /** {@code Retry-After} on 429 only, in whole seconds. */
  RETRY_AFTER,
  /** IETF {@code RateLimit} and {@code RateLimit-Policy} on every response, and Retry-After. */
  IETF
}
