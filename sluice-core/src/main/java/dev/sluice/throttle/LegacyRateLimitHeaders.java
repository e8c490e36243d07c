package dev.sluice.throttle;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the legacy {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining} and {@code
 * X-RateLimit-Reset} fields, which servers write in several dialects.
 *
 * <p>{@code Reset} is ambiguous; it is read by magnitude: up to one day is delta-seconds (decimals
 * allowed), above that and below 10<sup>9</sup> delta-milliseconds, from 10<sup>9</sup> epoch
 * seconds, from 10<sup>12</sup> epoch milliseconds. An epoch in the past means the quota is already
 * restored. Anything that does not parse is ignored: a missing or malformed {@code Remaining} means
 * no signal at all; a malformed {@code Limit} or {@code Reset} is left out.
 */
final class LegacyRateLimitHeaders {
  private static final double ONE_DAY_SECONDS = 86_400;
  private static final double EPOCH_SECONDS = 1e9;
  private static final double EPOCH_MILLIS = 1e12;

  private LegacyRateLimitHeaders() {}

  static Optional<QuotaSignal> parse(String limit, String remaining, String reset, Instant now) {
    OptionalLong left = wholeNumber(remaining);
    if (left.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new QuotaSignal(
            left.getAsLong(), resetAfter(reset, now), wholeNumber(limit), Optional.empty()));
  }

  static Optional<Duration> resetAfter(String reset, Instant now) {
    if (reset == null) {
      return Optional.empty();
    }
    double value;
    try {
      value = Double.parseDouble(reset.strip());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (!Double.isFinite(value) || value < 0) {
      return Optional.empty();
    }
    long nowMillis = now.toEpochMilli();
    if (value >= EPOCH_MILLIS) {
      return Optional.of(Duration.ofMillis(Math.max(0, (long) value - nowMillis)));
    }
    if (value >= EPOCH_SECONDS) {
      return Optional.of(Duration.ofMillis(Math.max(0, (long) (value * 1000) - nowMillis)));
    }
    if (value > ONE_DAY_SECONDS) {
      return Optional.of(Duration.ofMillis((long) value));
    }
    return Optional.of(Duration.ofNanos((long) (value * 1e9)));
  }

  private static OptionalLong wholeNumber(String text) {
    if (text == null) {
      return OptionalLong.empty();
    }
    String trimmed = text.strip();
    if (trimmed.isEmpty() || trimmed.length() > 18) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < trimmed.length(); i++) {
      if (trimmed.charAt(i) < '0' || trimmed.charAt(i) > '9') {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(Long.parseLong(trimmed));
  }
}
