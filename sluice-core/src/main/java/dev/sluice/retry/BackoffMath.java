package dev.sluice.retry;

import dev.sluice.ConfigException;
import dev.sluice.time.Nanos;
import java.time.Duration;
import java.util.random.RandomGenerator;

/** Saturating delay arithmetic shared by the backoffs; all values in nanoseconds. */
final class BackoffMath {
  private BackoffMath() {}

  static void requireAttempt(int attempt) {
    if (attempt < 1) {
      throw new ConfigException("retry attempt must be >= 1, was " + attempt);
    }
  }

  static long nanos(Duration duration) {
    return Math.max(0, Nanos.saturated(duration));
  }

  /** {@code initial * multiplier^exponent}, never above {@code cap}. */
  static long grow(long initial, double multiplier, int exponent, long cap) {
    double value = initial * Math.pow(multiplier, exponent);
    return value >= cap ? cap : (long) value;
  }

  static long jitter(Jitter jitter, long delay, RandomGenerator random) {
    return switch (jitter.kind()) {
      case NONE, DECORRELATED -> delay;
      case FULL -> scale(delay, random.nextDouble());
      case FACTOR -> scale(delay, 1 + (1 - 2 * random.nextDouble()) * jitter.factor());
    };
  }

  /** Uniform in {@code [initial, 3 * previous)}, within {@code [initial, cap]}. */
  static long decorrelated(long initial, long previous, long cap, RandomGenerator random) {
    long upper =
        Math.min(cap, Nanos.saturatedAdd(previous, Nanos.saturatedAdd(previous, previous)));
    if (upper <= initial) {
      return Math.min(initial, cap);
    }
    return initial + scale(upper - initial, random.nextDouble());
  }

  private static long scale(long nanos, double factor) {
    double value = nanos * factor;
    return value >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, (long) value);
  }
}
