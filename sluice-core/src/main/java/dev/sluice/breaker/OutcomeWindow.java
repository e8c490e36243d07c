package dev.sluice.breaker;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The failure-rate and slow-call-rate window: counts of calls, failures and slow calls over the
 * last calls (or seconds), kept incrementally under a lock so a record costs O(1).
 */
abstract sealed class OutcomeWindow permits CountWindow, TimeWindow {
  final ReentrantLock lock = new ReentrantLock();
  private final float failureRateThreshold;
  private final float slowCallRateThreshold;
  private final int minimumCalls;
  int calls;
  int failures;
  int slowCalls;

  OutcomeWindow(CircuitBreakerConfig config, int minimumCalls) {
    this.failureRateThreshold = config.failureRateThreshold();
    this.slowCallRateThreshold = config.slowCallRateThreshold();
    this.minimumCalls = minimumCalls;
  }

  static OutcomeWindow of(CircuitBreakerConfig config) {
    return config.windowType() == WindowType.COUNT_BASED
        ? new CountWindow(config)
        : new TimeWindow(config);
  }

  /** Records one call; true when a rate has reached its threshold. */
  final boolean record(boolean failed, boolean slow, long now) {
    lock.lock();
    try {
      add(failed, slow, now);
      if (calls < minimumCalls) {
        return false;
      }
      return (failureRateThreshold > 0 && failures * 100f >= failureRateThreshold * calls)
          || (slowCallRateThreshold > 0 && slowCalls * 100f >= slowCallRateThreshold * calls);
    } finally {
      lock.unlock();
    }
  }

  final void describe(SnapshotBuilder snapshot, long now) {
    lock.lock();
    try {
      expire(now);
      snapshot.windowCalls = calls;
      if (calls >= minimumCalls && calls > 0) {
        snapshot.windowFailureRate = failures * 100f / calls;
        snapshot.windowSlowCallRate = slowCalls * 100f / calls;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Adds a call to the counts, evicting what has left the window; the lock is held. */
  abstract void add(boolean failed, boolean slow, long now);

  /** Evicts what has left the window by {@code now}; the lock is held. */
  abstract void expire(long now);
}
