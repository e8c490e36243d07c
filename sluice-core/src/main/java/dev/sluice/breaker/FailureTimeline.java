package dev.sluice.breaker;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The times of the last {@code threshold} failures, to tell whether that many fell inside the
 * sliding window. A failure exactly one window old has left it.
 */
final class FailureTimeline {
  private final long[] times;
  private final long windowNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private int next;
  private int count;

  FailureTimeline(int threshold, long windowNanos) {
    this.times = new long[threshold];
    this.windowNanos = windowNanos;
  }

  /** Records a failure at {@code now}; true when {@code threshold} failures are in the window. */
  boolean recordFailure(long now) {
    lock.lock();
    try {
      times[next] = now;
      next = (next + 1) % times.length;
      if (count < times.length) {
        count++;
      }
      // with the ring full, the oldest of the last `threshold` failures sits at `next`
      return count == times.length && now - times[next % times.length] < windowNanos;
    } finally {
      lock.unlock();
    }
  }
}
