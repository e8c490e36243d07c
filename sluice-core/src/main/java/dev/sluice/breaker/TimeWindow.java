package dev.sluice.breaker;

/** The calls of the last {@code windowSize} seconds, in one-second buckets. */
final class TimeWindow extends OutcomeWindow {
  private static final long SECOND = 1_000_000_000L;

  private final int[] bucketCalls;
  private final int[] bucketFailures;
  private final int[] bucketSlow;
  private long currentSecond = Long.MIN_VALUE;

  TimeWindow(CircuitBreakerConfig config) {
    super(config, config.minimumCalls());
    int size = config.windowSize();
    this.bucketCalls = new int[size];
    this.bucketFailures = new int[size];
    this.bucketSlow = new int[size];
  }

  @Override
  void add(boolean failed, boolean slow, long now) {
    expire(now);
    int i = index(currentSecond);
    bucketCalls[i]++;
    calls++;
    if (failed) {
      bucketFailures[i]++;
      failures++;
    }
    if (slow) {
      bucketSlow[i]++;
      slowCalls++;
    }
  }

  @Override
  void expire(long now) {
    long second = Math.floorDiv(now, SECOND);
    if (currentSecond == Long.MIN_VALUE) {
      currentSecond = second;
      return;
    }
    long steps = Math.min(second - currentSecond, bucketCalls.length);
    for (long s = 1; s <= steps; s++) {
      int i = index(currentSecond + s);
      calls -= bucketCalls[i];
      failures -= bucketFailures[i];
      slowCalls -= bucketSlow[i];
      bucketCalls[i] = 0;
      bucketFailures[i] = 0;
      bucketSlow[i] = 0;
    }
    if (second > currentSecond) {
      currentSecond = second;
    }
  }

  private int index(long second) {
    return (int) Math.floorMod(second, (long) bucketCalls.length);
  }
}
