package dev.sluice.retry;

import dev.sluice.retry.ProviderQuota.ResetMeaning;
import dev.sluice.retry.ProviderQuota.Unit;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Reads the rate-limit header dialects that LLM providers and public APIs send instead of, or
 * beside, the IETF fields of {@link RateLimitHeaders}:
 *
 * <ul>
 *   <li>OpenAI: {@code x-ratelimit-limit-requests}, {@code x-ratelimit-remaining-requests}, {@code
 *       x-ratelimit-reset-requests} and the {@code -tokens} twins; limits per minute, the reset a
 *       Go-style duration ({@code 6m0s}, see {@link DurationText}) until the quota is full again.
 *   <li>Anthropic: {@code anthropic-ratelimit-requests-limit}, {@code -remaining}, {@code -reset}
 *       (an RFC 3339 instant when the quota is full again), and the {@code tokens}, {@code
 *       input-tokens} and {@code output-tokens} families; limits per minute.
 *   <li>GitHub and legacy: {@code X-RateLimit-Limit}, {@code -Remaining}, {@code -Reset}, {@code
 *       -Used}, {@code -Resource}; one fixed window ending at the reset. {@code Reset} is read by
 *       magnitude (delta-seconds, delta-milliseconds, epoch seconds as GitHub sends, or epoch
 *       milliseconds); {@code Used} completes a missing limit or remaining ({@code limit = used +
 *       remaining}).
 * </ul>
 *
 * <p>Names are matched ignoring case; a field sent on several lines counts when the lines agree.
 * Nothing here throws on what a server sends: a family without a readable {@code remaining} (nor
 * {@code limit} and {@code used} to derive it) gives no quota, and a malformed or out-of-range
 * limit or reset is left out while the rest is kept.
 *
 * <pre>{@code
 * for (ProviderQuota quota : ProviderQuotaHeaders.parse(response.headers().map(), time.now())) {
 *   log.info("{} {}: {} left", quota.name(), quota.unit(), quota.remaining());
 * }
 * }</pre>
 */
public final class ProviderQuotaHeaders {
  private static final Optional<Duration> ONE_MINUTE = Optional.of(Duration.ofMinutes(1));

  private ProviderQuotaHeaders() {}

  /**
   * Reads every provider quota in the headers: OpenAI, then Anthropic, then {@code X-RateLimit-*}.
   *
   * @param headers the response's header fields, or {@code null}; {@code null} names and values are
   *     skipped
   * @param now the current wall-clock time, for instants and epochs in reset fields
   * @return the quotas found, in that order; empty when there are none
   */
  public static List<ProviderQuota> parse(
      @Nullable Map<String, List<String>> headers, Instant now) {
    if (headers == null || headers.isEmpty() || now == null) {
      return List.of();
    }
    List<ProviderQuota> quotas = new ArrayList<>();
    openAi(headers, "requests", Unit.REQUESTS, quotas);
    openAi(headers, "tokens", Unit.TOKENS, quotas);
    anthropic(headers, "requests", Unit.REQUESTS, now, quotas);
    anthropic(headers, "tokens", Unit.TOKENS, now, quotas);
    anthropic(headers, "input-tokens", Unit.INPUT_TOKENS, now, quotas);
    anthropic(headers, "output-tokens", Unit.OUTPUT_TOKENS, now, quotas);
    fixedWindow(headers, now, quotas);
    return List.copyOf(quotas);
  }

  private static void openAi(
      Map<String, List<String>> headers, String family, Unit unit, List<ProviderQuota> out) {
    OptionalLong remaining = number(headers, "x-ratelimit-remaining-" + family);
    if (remaining.isEmpty()) {
      return;
    }
    out.add(
        new ProviderQuota(
            family,
            unit,
            number(headers, "x-ratelimit-limit-" + family),
            remaining.getAsLong(),
            DurationText.parse(field(headers, "x-ratelimit-reset-" + family)),
            ONE_MINUTE,
            ResetMeaning.REPLENISHED));
  }

  private static void anthropic(
      Map<String, List<String>> headers,
      String family,
      Unit unit,
      Instant now,
      List<ProviderQuota> out) {
    String prefix = "anthropic-ratelimit-" + family + "-";
    OptionalLong remaining = number(headers, prefix + "remaining");
    if (remaining.isEmpty()) {
      return;
    }
    out.add(
        new ProviderQuota(
            family,
            unit,
            number(headers, prefix + "limit"),
            remaining.getAsLong(),
            instant(field(headers, prefix + "reset"), now),
            ONE_MINUTE,
            ResetMeaning.REPLENISHED));
  }

  private static void fixedWindow(
      Map<String, List<String>> headers, Instant now, List<ProviderQuota> out) {
    OptionalLong limit = number(headers, "x-ratelimit-limit");
    OptionalLong remaining = number(headers, "x-ratelimit-remaining");
    OptionalLong used = number(headers, "x-ratelimit-used");
    if (remaining.isEmpty() && limit.isPresent() && used.isPresent()) {
      remaining = OptionalLong.of(Math.max(0, limit.getAsLong() - used.getAsLong()));
    }
    if (remaining.isEmpty()) {
      return;
    }
    if (limit.isEmpty() && used.isPresent()) {
      long sum = used.getAsLong() + remaining.getAsLong(); // both < 10^18: no overflow
      limit = OptionalLong.of(sum);
    }
    String resource = field(headers, "x-ratelimit-resource");
    String name = resource == null || !isName(resource.strip()) ? "default" : resource.strip();
    out.add(
        new ProviderQuota(
            name,
            Unit.REQUESTS,
            limit,
            remaining.getAsLong(),
            LegacyResetField.resetAfter(field(headers, "x-ratelimit-reset"), now),
            Optional.empty(),
            ResetMeaning.WINDOW_ENDS));
  }

  /** The time from {@code now} to an RFC 3339 instant, zero if it has passed. */
  private static Optional<Duration> instant(@Nullable String text, Instant now) {
    if (text == null || text.length() > 64) {
      return Optional.empty();
    }
    try {
      Instant at = OffsetDateTime.parse(text.strip().toUpperCase(Locale.ROOT)).toInstant();
      Duration until = Duration.between(now, at);
      return Optional.of(until.isNegative() ? Duration.ZERO : until);
    } catch (DateTimeException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  private static OptionalLong number(Map<String, List<String>> headers, String name) {
    return LegacyResetField.wholeNumber(field(headers, name));
  }

  private static boolean isName(String text) {
    if (text.isEmpty() || text.length() > 64) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  /**
   * The field's value, looked up ignoring case over every line of every matching name; {@code null}
   * if absent or if the lines, split at commas, do not all agree.
   */
  static @Nullable String field(Map<String, List<String>> headers, String name) {
    String value = null;
    for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
      if (entry.getKey() == null
          || !entry.getKey().equalsIgnoreCase(name)
          || entry.getValue() == null) {
        continue;
      }
      for (String line : entry.getValue()) {
        if (line == null) {
          continue;
        }
        for (String part : line.split(",", -1)) {
          String item = part.strip();
          if (item.isEmpty()) {
            continue;
          }
          if (value != null && !value.equals(item)) {
            return null;
          }
          value = item;
        }
      }
    }
    return value;
  }
}
