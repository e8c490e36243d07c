package dev.sluice.time;

import java.time.Duration;

/** Saturating nanosecond arithmetic, so far-away deadlines never wrap around into the past. */
public final class Nanos {
  private Nanos() {}

  /**
   * Converts a duration to nanoseconds, clamping values beyond the range of {@code long}.
   *
   * @param duration the duration to convert
   * @return its length in nanoseconds, or {@link Long#MAX_VALUE} / {@link Long#MIN_VALUE} when it
   *     does not fit
   */
  public static long saturated(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException overflow) {
      return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /**
   * Adds two nanosecond values, clamping instead of overflowing.
   *
   * @param a the first value
   * @param b the second value
   * @return {@code a + b}, clamped to the range of {@code long}
   */
  public static long saturatedAdd(long a, long b) {
    long sum = a + b;
    // overflow happened if both operands have the sign opposite to the sum
    if (((a ^ sum) & (b ^ sum)) < 0) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return sum;
  }
}
