package dev.sluice.time;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Strict parsing and canonical formatting of durations, for configuration files, command lines and
 * environment variables.
 *
 * <p>Two notations are accepted:
 *
 * <ul>
 *   <li>the short form: one or more {@code <digits><unit>} parts with units {@code d}, {@code h},
 *       {@code m}, {@code s}, {@code ms}, {@code us}, {@code ns}, each used at most once and in
 *       descending order: {@code 250ms}, {@code 10s}, {@code 1h30m}, {@code 2d8h}, {@code
 *       1m30s500ms}. A day is exactly 24 hours.
 *   <li>ISO-8601 as read by {@link Duration#parse}: {@code PT1H30M}, {@code P2DT8H}.
 * </ul>
 *
 * <p>Anything else is rejected with an {@link IllegalArgumentException} that quotes the input and
 * says what is wrong: empty or blank text, white space, an unknown unit ({@code 5x}), a number
 * without a unit ({@code 10}, {@code 10s5}), a sign ({@code -5s}), a repeated or ascending unit
 * ({@code 1m1h}), or a value beyond the range of {@link Duration}. Nothing is guessed: a typo never
 * silently becomes a different duration.
 *
 * <p>{@link #format} writes the canonical short form, so {@code format(parse(s))} normalizes any
 * accepted input ({@code 90m} becomes {@code 1h30m}) and {@code parse(format(d))} equals {@code d}.
 */
public final class Durations {
  private Durations() {}

  /**
   * Parses a duration in the short form or ISO-8601.
   *
   * @param text the text to parse
   * @return the duration, never negative
   * @throws IllegalArgumentException if the text is not a valid duration; the message quotes it
   */
  public static Duration parse(String text) {
    Objects.requireNonNull(text, "duration text");
    if (text.isBlank()) {
      throw invalid(text, "it is empty");
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        throw invalid(text, "it contains white space at position " + i);
      }
    }
    char first = text.charAt(0);
    if (first == '-') {
      throw invalid(text, "negative durations are not allowed");
    }
    if (first == 'P' || first == 'p') {
      return parseIso(text);
    }
    return parseShort(text);
  }

  /**
   * Formats a duration in the canonical short form: largest units first, zero parts left out,
   * {@code 0s} for zero.
   *
   * @param duration a duration that is not negative
   * @return the canonical text, which {@link #parse} reads back to the same duration
   * @throws IllegalArgumentException if the duration is negative
   */
  public static String format(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException(
          "cannot format duration " + duration + ": negative durations are not allowed");
    }
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long seconds = duration.getSeconds();
    long nanos = duration.getNano();
    append(out, seconds / 86_400, Unit.DAYS);
    append(out, seconds % 86_400 / 3_600, Unit.HOURS);
    append(out, seconds % 3_600 / 60, Unit.MINUTES);
    append(out, seconds % 60, Unit.SECONDS);
    append(out, nanos / 1_000_000, Unit.MILLIS);
    append(out, nanos / 1_000 % 1_000, Unit.MICROS);
    append(out, nanos % 1_000, Unit.NANOS);
    return out.toString();
  }

  private static void append(StringBuilder out, long amount, Unit unit) {
    if (amount != 0) {
      out.append(amount).append(unit.symbol);
    }
  }

  private static Duration parseIso(String text) {
    if (text.indexOf('-') >= 0) {
      throw invalid(text, "negative durations are not allowed");
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      String why =
          e.getCause() instanceof ArithmeticException
                  || e.getCause() instanceof NumberFormatException
              ? "it exceeds the range of java.time.Duration"
              : "it is not a valid ISO-8601 duration such as PT1H30M or P2DT8H";
      throw invalid(text, why);
    }
  }

  private static Duration parseShort(String text) {
    Duration total = Duration.ZERO;
    Unit previous = null;
    int pos = 0;
    int length = text.length();
    while (pos < length) {
      int numberStart = pos;
      while (pos < length && isAsciiDigit(text.charAt(pos))) {
        pos++;
      }
      if (pos == numberStart) {
        throw invalid(
            text,
            "unexpected character '"
                + text.charAt(pos)
                + "' at position "
                + pos
                + ", expected a number");
      }
      String digits = text.substring(numberStart, pos);
      int unitStart = pos;
      while (pos < length && isAsciiLetter(text.charAt(pos))) {
        pos++;
      }
      if (pos == unitStart) {
        String why =
            pos == length
                ? "the number " + digits + " at position " + numberStart + " has no unit"
                : "unexpected character '" + text.charAt(pos) + "' at position " + pos;
        throw invalid(text, why + " (units: " + Unit.SYMBOLS + ")");
      }
      String symbol = text.substring(unitStart, pos);
      Unit unit = Unit.of(symbol);
      if (unit == null) {
        throw invalid(text, "unknown unit '" + symbol + "' (units: " + Unit.SYMBOLS + ")");
      }
      if (previous != null && unit.ordinal() <= previous.ordinal()) {
        String why =
            unit == previous
                ? "the unit '" + symbol + "' appears twice"
                : "units must go from largest to smallest, but '"
                    + symbol
                    + "' follows '"
                    + previous.symbol
                    + "'";
        throw invalid(text, why);
      }
      previous = unit;
      try {
        total = total.plus(unit.times(Long.parseLong(digits)));
      } catch (NumberFormatException | ArithmeticException overflow) {
        throw invalid(text, "it exceeds the range of java.time.Duration");
      }
    }
    return total;
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException("invalid duration \"" + text + "\": " + why);
  }

  /** Units of the short form, largest first; the order is the rule for compounds. */
  private enum Unit {
    DAYS("d"),
    HOURS("h"),
    MINUTES("m"),
    SECONDS("s"),
    MILLIS("ms"),
    MICROS("us"),
    NANOS("ns");

    static final String SYMBOLS = "d, h, m, s, ms, us, ns";

    final String symbol;

    Unit(String symbol) {
      this.symbol = symbol;
    }

    static @Nullable Unit of(String symbol) {
      for (Unit unit : values()) {
        if (unit.symbol.equals(symbol)) {
          return unit;
        }
      }
      return null;
    }

    Duration times(long amount) {
      return switch (this) {
        case DAYS -> Duration.ofDays(amount);
        case HOURS -> Duration.ofHours(amount);
        case MINUTES -> Duration.ofMinutes(amount);
        case SECONDS -> Duration.ofSeconds(amount);
        case MILLIS -> Duration.ofMillis(amount);
        case MICROS -> Duration.ofNanos(Math.multiplyExact(amount, 1_000L));
        case NANOS -> Duration.ofNanos(amount);
      };
    }
  }
}
