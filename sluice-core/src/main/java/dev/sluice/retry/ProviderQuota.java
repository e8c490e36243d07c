package dev.sluice.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One quota a provider reported in its own header dialect (OpenAI {@code x-ratelimit-*-requests},
 * Anthropic {@code anthropic-ratelimit-*}, GitHub and legacy {@code X-RateLimit-*}), read by {@link
 * ProviderQuotaHeaders}.
 *
 * <p>Providers disagree on what a reset time means, so it is said here: {@link
 * ResetMeaning#REPLENISHED} (OpenAI, Anthropic) means the quota refills continuously and is full
 * again by then; {@link ResetMeaning#WINDOW_ENDS} (GitHub, legacy) means the quota stays where it
 * is until the window ends and is restored whole then.
 *
 * @param name the quota's name: {@code requests}, {@code tokens}, {@code input-tokens}, {@code
 *     output-tokens} for the LLM dialects; the {@code X-RateLimit-Resource} value (GitHub's {@code
 *     core}, {@code search}) or {@code default} for the {@code X-RateLimit-*} family
 * @param unit what the quota counts
 * @param limit the size of the quota, if said (or derived as used + remaining)
 * @param remaining what is left, not negative
 * @param resetAfter the time from the response until the reset, if said; never negative
 * @param window the window the limit applies to, if known (one minute for the LLM dialects)
 * @param resetMeaning what happens at the reset
 */
public record ProviderQuota(
    String name,
    Unit unit,
    OptionalLong limit,
    long remaining,
    Optional<Duration> resetAfter,
    Optional<Duration> window,
    ResetMeaning resetMeaning) {

  /** What a quota counts. */
  public enum Unit {
    /** Calls. */
    REQUESTS,
    /** Tokens, input and output together. */
    TOKENS,
    /** Input (prompt) tokens. */
    INPUT_TOKENS,
    /** Output (completion) tokens. */
    OUTPUT_TOKENS
  }

  /** What the reset time of a quota means. */
  public enum ResetMeaning {
    /** The quota refills continuously and is full by the reset (a token bucket). */
    REPLENISHED,
    /** The quota is restored whole when the window ends at the reset (a fixed window). */
    WINDOW_ENDS
  }

  /**
   * Checks the values are present and not negative.
   *
   * @throws IllegalArgumentException if {@code remaining}, the limit or a duration is negative
   */
  public ProviderQuota {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(resetAfter, "resetAfter");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(resetMeaning, "resetMeaning");
    if (remaining < 0) {
      throw new IllegalArgumentException("remaining must be >= 0, was " + remaining);
    }
    if (limit.isPresent() && limit.getAsLong() < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + limit.getAsLong());
    }
    if (resetAfter.isPresent() && resetAfter.get().isNegative()) {
      throw new IllegalArgumentException("resetAfter must be >= 0, was " + resetAfter.get());
    }
    if (window.isPresent() && (window.get().isNegative() || window.get().isZero())) {
      throw new IllegalArgumentException("window must be > 0, was " + window.get());
    }
  }
}
