package dev.sluice.http;

/** Which rate-limit header fields a response carries. {@code Retry-After} is always sent on 429. */
public enum HeaderDialect {
  /** IETF {@code RateLimit} and {@code RateLimit-Policy}, one item per limit that applied. */
  IETF,
  /**
   * {@code X-RateLimit-Limit}, {@code -Remaining}, {@code -Reset} of the most restrictive limit.
   */
  LEGACY,
  /** Both of the above (the default). */
  BOTH,
  /** No rate-limit fields. */
  NONE;

  boolean ietf() {
    return this == IETF || this == BOTH;
  }

  boolean legacy() {
    return this == LEGACY || this == BOTH;
  }
}
