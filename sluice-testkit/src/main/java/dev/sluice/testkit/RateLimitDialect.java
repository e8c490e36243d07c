package dev.sluice.testkit;

/**
 * The rate-limit headers a {@link RateLimitedServer} writes, modelled on real APIs, so a client's
 * header parsing is tested against the shapes it will meet.
 */
public enum RateLimitDialect {
  /** No headers: a bare 200 or 429. */
  NONE,
  /** Only {@code Retry-After} (whole seconds) on a 429. */
  RETRY_AFTER,
  /**
   * {@code RateLimit-Policy: "default";q=Q;w=W} and {@code RateLimit: "default";r=R;t=T} on every
   * response, as in draft-ietf-httpapi-ratelimit-headers.
   */
  IETF,
  /**
   * {@code x-ratelimit-limit-requests} (per minute), {@code x-ratelimit-remaining-requests} and
   * {@code x-ratelimit-reset-requests} (a Go duration such as {@code 1.5s}); with a token quota
   * also the {@code -tokens} trio.
   */
  OPENAI,
  /**
   * {@code anthropic-ratelimit-requests-limit} (per minute), {@code -remaining} and {@code -reset}
   * (an RFC 3339 UTC instant); with a token quota also {@code anthropic-ratelimit-tokens-*} and
   * {@code anthropic-ratelimit-input-tokens-*}.
   */
  ANTHROPIC,
  /**
   * {@code x-ratelimit-limit}, {@code -remaining}, {@code -reset} (epoch seconds), {@code -used}
   * and {@code x-ratelimit-resource: core}.
   */
  GITHUB
}
