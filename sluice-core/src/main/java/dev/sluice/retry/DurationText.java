package dev.sluice.retry;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes durations in the notation of Go's {@code time.Duration}, which LLM providers use
 * for their reset fields ({@code x-ratelimit-reset-requests: 1s}, {@code x-ratelimit-reset-tokens:
 * 6m0s}).
 *
 * <p>Accepted: {@code 0}, or one or more {@code <number><unit>} parts where the number has digits
 * and an optional fraction ({@code 1.5}, {@code .5}, {@code 2.}) and the unit is {@code h}, {@code
 * m}, {@code s}, {@code ms}, {@code us}, {@code µs} or {@code ns}, each unit at most once and in
 * descending order: {@code 20ms}, {@code 1.5s}, {@code 6m0s}, {@code 1h2m3.5s}, {@code 250us}.
 * Stricter than Go, on purpose: no sign (a negative reset means nothing), no white space inside, no
 * repeated or ascending units. Fractions finer than a nanosecond are truncated. Anything else, or a
 * value beyond {@link Long#MAX_VALUE} nanoseconds, gives an empty result; parsing never throws.
 *
 * <pre>{@code
 * Optional<Duration> reset = DurationText.parse("1h2m3.5s"); // PT1H2M3.5S
 * String text = DurationText.format(Duration.ofMillis(1500)); // "1.5s"
 * }</pre>
 */
public final class DurationText {
  private static final String[] UNITS = {"h", "m", "s", "ms", "us", "µs", "μs", "ns"};
  private static final int[] RANK = {0, 1, 2, 3, 4, 4, 4, 5};
  private static final long[] NANOS = {
    3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1_000L, 1_000L, 1L
  };
  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final int MAX_LENGTH = 100;

  private DurationText() {}

  /**
   * Parses a Go-style duration.
   *
   * @param text the text, or {@code null}; leading and trailing white space is ignored
   * @return the duration, never negative; empty when absent or malformed
   */
  public static Optional<Duration> parse(@Nullable String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.strip();
    if (s.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    if (s.isEmpty() || s.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    BigDecimal total = BigDecimal.ZERO;
    int lastRank = -1;
    int i = 0;
    while (i < s.length()) {
      int start = i;
      int digits = 0;
      boolean dot = false;
      while (i < s.length() && (isDigit(s.charAt(i)) || (s.charAt(i) == '.' && !dot))) {
        if (s.charAt(i) == '.') {
          dot = true;
        } else {
          digits++;
        }
        i++;
      }
      if (digits == 0) {
        return Optional.empty();
      }
      String number = s.substring(start, i);
      int unit = unitAt(s, i);
      if (unit < 0 || RANK[unit] <= lastRank) {
        return Optional.empty();
      }
      lastRank = RANK[unit];
      i += UNITS[unit].length();
      total = total.add(decimal(number).multiply(BigDecimal.valueOf(NANOS[unit])));
      if (total.compareTo(MAX_NANOS) > 0) {
        return Optional.empty();
      }
    }
    return Optional.of(Duration.ofNanos(total.longValue()));
  }

  /**
   * Writes a duration as Go does: {@code 0s}, {@code 250ns}, {@code 1.5µs}, {@code 20ms}, {@code
   * 1.5s}, {@code 6m0s}, {@code 1h2m3.5s}; {@link #parse} reads it back exactly.
   *
   * @param duration the duration, not negative and at most {@link Long#MAX_VALUE} nanoseconds
   * @return the text
   * @throws IllegalArgumentException if the duration is negative or too long; the message names it
   */
  public static String format(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must be >= 0, was " + duration);
    }
    long nanos;
    try {
      nanos = duration.toNanos();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "duration must be <= " + Long.MAX_VALUE + " ns, was " + duration, e);
    }
    if (nanos == 0) {
      return "0s";
    }
    if (nanos < 1_000L) {
      return nanos + "ns";
    }
    if (nanos < 1_000_000L) {
      return fraction(nanos, 1_000L) + "µs";
    }
    if (nanos < 1_000_000_000L) {
      return fraction(nanos, 1_000_000L) + "ms";
    }
    long hours = nanos / NANOS[0];
    long minutes = nanos % NANOS[0] / NANOS[1];
    String seconds = fraction(nanos % NANOS[1], NANOS[2]) + "s";
    if (hours > 0) {
      return hours + "h" + minutes + "m" + seconds;
    }
    return minutes > 0 ? minutes + "m" + seconds : seconds;
  }

  private static String fraction(long value, long unit) {
    BigDecimal exact = BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit));
    return exact.stripTrailingZeros().toPlainString();
  }

  private static BigDecimal decimal(String number) {
    String n = number.startsWith(".") ? "0" + number : number;
    return new BigDecimal(n.endsWith(".") ? n.substring(0, n.length() - 1) : n);
  }

  private static int unitAt(String s, int at) {
    int found = -1;
    for (int u = 0; u < UNITS.length; u++) {
      if (s.startsWith(UNITS[u], at) && (found < 0 || UNITS[u].length() > UNITS[found].length())) {
        found = u;
      }
    }
    return found;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
