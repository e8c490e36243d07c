package dev.sluice.retry;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Reads the ambiguous {@code X-RateLimit-Reset} field and the whole numbers of the {@code
 * X-RateLimit-*} family, which servers write in several dialects.
 *
 * <p>{@code Reset} is read by magnitude: up to one day is delta-seconds (decimals allowed), above
 * that and below 10<sup>9</sup> delta-milliseconds, from 10<sup>9</sup> epoch seconds (GitHub),
 * from 10<sup>12</sup> epoch milliseconds. An epoch in the past means the quota is already
 * restored. Anything that does not parse gives an empty result.
 */
final class LegacyResetField {
  private static final double ONE_DAY_SECONDS = 86_400;
  private static final double EPOCH_SECONDS = 1e9;
  private static final double EPOCH_MILLIS = 1e12;

  private LegacyResetField() {}

  static Optional<Duration> resetAfter(@Nullable String reset, Instant now) {
    if (reset == null) {
      return Optional.empty();
    }
    double value;
    try {
      value = Double.parseDouble(reset.strip());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (!Double.isFinite(value) || value < 0 || value >= 9e15) {
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

  /** A non-negative whole number of at most 18 digits; empty for anything else. */
  static OptionalLong wholeNumber(@Nullable String text) {
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
