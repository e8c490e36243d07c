package dev.sluice.throttle;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts successful and failed calls in 100 ms buckets over the last 6.4 s and smooths their round
 * trip, so the throttle knows the rate the server actually accepted. Lock-free: a success costs two
 * atomic increments and one racy average update (a lost update only delays the average by one
 * sample).
 */
final class CallMeter {
  static final long BUCKET_NANOS = 100_000_000L;
  private static final int BUCKETS = 64;
  private static final int MASK = BUCKETS - 1;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final AtomicLongArray failures = new AtomicLongArray(BUCKETS);
  private final AtomicLongArray stamps = new AtomicLongArray(BUCKETS);
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong sinceMark = new AtomicLong();
  private volatile long mark = Long.MIN_VALUE;
  private final long origin;
  private volatile long smoothedRoundTrip;

  CallMeter(long origin) {
    this.origin = origin;
    for (int i = 0; i < BUCKETS; i++) {
      stamps.set(i, -1);
    }
  }

  /** Records one success completed at {@code now} after {@code roundTrip} nanoseconds. */
  void record(long now, long roundTrip) {
    record(now, roundTrip, now - Math.max(0, roundTrip));
  }

  /**
   * Records one success completed at {@code now} after {@code roundTrip} nanoseconds, of a call
   * whose dispatch slot was booked at {@code booked} ({@link Long#MIN_VALUE}: unknown).
   */
  void record(long now, long roundTrip, long booked) {
    counts.incrementAndGet(slot(now));
    total.incrementAndGet();
    if (booked >= mark) {
      sinceMark.incrementAndGet();
    }
    if (roundTrip > 0) {
      long average = smoothedRoundTrip;
      smoothedRoundTrip = average == 0 ? roundTrip : average + (roundTrip - average) / 8;
    }
  }

  /** Records one failed call completed at {@code now}. */
  void recordFailure(long now) {
    failures.incrementAndGet(slot(now));
  }

  private int slot(long now) {
    long index = bucket(now);
    int slot = (int) (index & MASK);
    long stamp = stamps.get(slot);
    if (stamp < index && stamps.compareAndSet(slot, stamp, index)) {
      counts.set(slot, 0);
      failures.set(slot, 0);
    }
    return slot;
  }

  /** Failed calls per second over the last {@code window}, as {@link #rate} counts successes. */
  double failureRate(long now, long window) {
    return perSecond(failures, now, window);
  }

  /**
   * Successes per second over the last {@code window} (rounded up to whole buckets, at most 6 s).
   */
  double rate(long now, long window) {
    return perSecond(counts, now, window);
  }

  private double perSecond(AtomicLongArray values, long now, long window) {
    long current = bucket(now);
    int span = (int) Math.min(BUCKETS - 1, Math.max(1, (window + BUCKET_NANOS - 1) / BUCKET_NANOS));
    long sum = 0;
    for (long index = current - span + 1; index <= current; index++) {
      int slot = (int) (index & MASK);
      if (index >= 0 && stamps.get(slot) == index) {
        sum += values.get(slot);
      }
    }
    // the current bucket is partly over: count only the time that has passed in it
    long elapsed = (span - 1) * BUCKET_NANOS + (now - origin) % BUCKET_NANOS;
    long covered = Math.min(elapsed, now - origin);
    return covered <= 0 ? 0 : sum * 1e9 / covered;
  }

  /**
   * From now on, {@link #sinceMark} counts only the successes of calls booked at or after {@code
   * now}: what a step of the slow start must see before the next.
   */
  void mark(long now) {
    mark = now;
    sinceMark.set(0);
  }

  /** The successes of calls booked since the latest {@link #mark}. */
  long sinceMark() {
    return sinceMark.get();
  }

  /** Every success recorded so far. */
  long total() {
    return total.get();
  }

  /** The smoothed round trip of successful calls, or 0 before the first. */
  long roundTrip() {
    return smoothedRoundTrip;
  }

  private long bucket(long now) {
    return Math.max(0, now - origin) / BUCKET_NANOS;
  }
}
