package dev.sluice.retry;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads how long a server asks a client to wait: the {@code Retry-After} field (RFC 9110 section
 * 10.2.3) as delta-seconds ({@code 120}) or as an HTTP-date ({@code Sun, 06 Nov 1994 08:49:37 GMT},
 * and the two obsolete date formats recipients must accept), and the {@code t} parameter of the
 * IETF {@code RateLimit} field.
 *
 * <p>Garbage is ignored, never an exception: text that is neither form ({@code abc}, {@code -5},
 * {@code 1.5}), a number too large for a {@code long}, or a date at or before {@code now} gives an
 * empty result, so the caller's own backoff decides. A date is measured against the {@code now}
 * passed in, which should come from the {@link dev.sluice.time.TimeSource}.
 *
 * <pre>{@code
 * Optional<Duration> wait = RetryAfter.parse(response.header("Retry-After"), time.now());
 * }</pre>
 */
public final class RetryAfter {
  private static final DateTimeFormatter IMF_FIXDATE = strict("EEE, dd MMM uuuu HH:mm:ss 'GMT'");
  private static final DateTimeFormatter RFC_850 = strict("EEEE, dd-MMM-uu HH:mm:ss 'GMT'");
  private static final DateTimeFormatter ASCTIME = strict("EEE MMM ppd HH:mm:ss uuuu");

  private RetryAfter() {}

  /**
   * Parses a {@code Retry-After} field value.
   *
   * @param field the field value, or {@code null}
   * @param now the current wall-clock time, for HTTP-dates
   * @return the delay asked for; empty when absent, malformed or in the past
   */
  public static Optional<Duration> parse(@Nullable String field, Instant now) {
    if (field == null) {
      return Optional.empty();
    }
    String text = field.strip();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (isDigits(text)) {
      if (text.length() > 18) {
        return Optional.empty(); // beyond a long: not a delay anyone means
      }
      return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
    }
    return httpDate(text, now).flatMap(date -> untilDate(date, now));
  }

  /**
   * Reads the delay from a {@code RateLimit} field: the longest {@code t} among the exhausted
   * quotas ({@code r=0}). A quota with room left does not ask anyone to wait.
   *
   * @param field the {@code RateLimit} field value, or {@code null}
   * @return the delay; empty when no exhausted quota gives a {@code t}
   */
  public static Optional<Duration> fromRateLimit(@Nullable String field) {
    Duration longest = null;
    for (RateLimitStatus status : RateLimitHeaders.parseRateLimit(field)) {
      if (status.exhausted() && status.reset().isPresent()) {
        Duration reset = status.reset().get();
        if (longest == null || reset.compareTo(longest) > 0) {
          longest = reset;
        }
      }
    }
    return Optional.ofNullable(longest);
  }

  /**
   * Combines both fields: the longer of the two delays, since {@code Retry-After} must not point
   * earlier than the quota's reset.
   *
   * @param retryAfter the {@code Retry-After} field value, or {@code null}
   * @param rateLimit the {@code RateLimit} field value, or {@code null}
   * @param now the current wall-clock time
   * @return the longer delay; empty when neither gives one
   */
  public static Optional<Duration> of(
      @Nullable String retryAfter, @Nullable String rateLimit, Instant now) {
    Optional<Duration> a = parse(retryAfter, now);
    Optional<Duration> b = fromRateLimit(rateLimit);
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return a.get().compareTo(b.get()) >= 0 ? a : b;
  }

  private static Optional<Instant> httpDate(String text, Instant now) {
    for (DateTimeFormatter format : new DateTimeFormatter[] {IMF_FIXDATE, RFC_850, ASCTIME}) {
      try {
        LocalDateTime date = LocalDateTime.parse(text, format);
        // RFC 9110: a two-digit year more than 50 years ahead means the past century
        if (format == RFC_850
            && date.isAfter(LocalDateTime.ofInstant(now, ZoneOffset.UTC).plusYears(50))) {
          date = date.minusYears(100);
        }
        return Optional.of(date.toInstant(ZoneOffset.UTC));
      } catch (DateTimeException notThisFormat) {
        // try the next one
      }
    }
    return Optional.empty();
  }

  private static Optional<Duration> untilDate(Instant target, Instant now) {
    Duration delay = Duration.between(now, target);
    return delay.isNegative() || delay.isZero() ? Optional.empty() : Optional.of(delay);
  }

  private static boolean isDigits(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static DateTimeFormatter strict(String pattern) {
    return DateTimeFormatter.ofPattern(pattern, Locale.US).withResolverStyle(ResolverStyle.STRICT);
  }
}
