package dev.sluice.testkit;

/**
 * Formats nanoseconds the way Go's {@code time.Duration.String} does: {@code 20ms}, {@code 1.5s},
 * {@code 6m0s}, {@code 1h2m3s}.
 */
final class GoDuration {
  private GoDuration() {}

  static String format(long nanos) {
    if (nanos <= 0) {
      return "0s";
    }
    if (nanos < 1_000L) {
      return nanos + "ns";
    }
    if (nanos < 1_000_000L) {
      return fraction(nanos / 1_000, nanos % 1_000, 3) + "µs";
    }
    if (nanos < 1_000_000_000L) {
      return fraction(nanos / 1_000_000, nanos % 1_000_000, 6) + "ms";
    }
    long seconds = nanos / 1_000_000_000L;
    String secs = fraction(seconds % 60, nanos % 1_000_000_000L, 9) + "s";
    long minutes = seconds / 60;
    if (minutes == 0) {
      return secs;
    }
    long hours = minutes / 60;
    String mins = (minutes % 60) + "m" + secs;
    return hours == 0 ? mins : hours + "h" + mins;
  }

  private static String fraction(long whole, long rest, int digits) {
    if (rest == 0) {
      return Long.toString(whole);
    }
    String text = String.format("%0" + digits + "d", rest).replaceAll("0+$", "");
    return whole + "." + text;
  }
}
