package dev.sluice.throttle;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts completed tasks and estimates the time left from recent throughput.
 *
 * <p>The ETA divides the tasks left by the rate at which the last completions arrived, so it
 * reflects concurrency: ten calls of one second each in parallel complete ten per second. (Mean
 * call duration times tasks left, as some throttles compute it, overstates the ETA by the
 * concurrency factor.) Milestones are reported once for each 10% crossed.
 */
final class ProgressTracker {
  static final int SAMPLES = 64;

  private final long total;
  private final AtomicLong completed = new AtomicLong();
  private final LongAdder untracked = new LongAdder();
  private final AtomicLongArray stamps = new AtomicLongArray(SAMPLES);
  private final AtomicInteger lastDecile = new AtomicInteger();

  ProgressTracker(long total) {
    this.total = total;
  }

  /**
   * Records one completion.
   *
   * @param now the current ticker reading
   * @return the 10% milestone just crossed (10, 20 ... 100), or 0 if none
   */
  int recordCompletion(long now) {
    if (total <= 0) {
      untracked.increment(); // no ETA or milestones to compute: keep the hot path uncontended
      return 0;
    }
    long count = completed.incrementAndGet();
    stamps.set((int) ((count - 1) % SAMPLES), now);
    if (total <= 0) {
      return 0;
    }
    int decile = (int) Math.min(10, count * 10 / total);
    int seen = lastDecile.get();
    while (decile > seen) {
      if (lastDecile.compareAndSet(seen, decile)) {
        return decile * 10;
      }
      seen = lastDecile.get();
    }
    return 0;
  }

  long completed() {
    return total <= 0 ? untracked.sum() : completed.get();
  }

  long total() {
    return total;
  }

  /** Completed share of the total in percent, 0 when the total is unknown. */
  double percentage() {
    if (total <= 0) {
      return 0.0;
    }
    return Math.min(100.0, completed.get() * 100.0 / total);
  }

  /** Estimated time to complete the rest, empty when the total is unknown or too few samples. */
  Optional<Duration> eta() {
    long count = completed.get();
    if (total <= 0) {
      return Optional.empty();
    }
    long left = total - count;
    if (left <= 0) {
      return Optional.of(Duration.ZERO);
    }
    int samples = (int) Math.min(count, SAMPLES);
    if (samples < 2) {
      return Optional.empty();
    }
    long newest = stamps.get((int) ((count - 1) % SAMPLES));
    long oldest = stamps.get((int) ((count - samples) % SAMPLES));
    long span = Math.max(0, newest - oldest);
    double perTask = (double) span / (samples - 1);
    return Optional.of(Duration.ofNanos((long) Math.min(Long.MAX_VALUE, perTask * left)));
  }
}
