package dev.sluice.throttle;

import dev.sluice.retry.ProviderQuota.ResetMeaning;
import dev.sluice.retry.ProviderQuota.Unit;
import dev.sluice.time.Nanos;
import dev.sluice.time.TimeSource;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The token quotas a server reported ({@code tokens} and {@code input-tokens} families), kept as a
 * local view so acquisitions wait until the reported quota can cover their estimate.
 *
 * <p>Each report replaces the view of its unit: the remaining tokens at the time of the report,
 * refilling at {@code limit/window} up to the limit (a token bucket) when the quota is {@link
 * ResetMeaning#REPLENISHED}, full again at the reset, or, for {@link ResetMeaning#WINDOW_ENDS},
 * staying where they are until the reset and restored whole then (and every window after, when the
 * window is known). A quota with no limit stops constraining at its reset; one that says neither
 * when it resets nor how fast it refills is not kept, since nothing would tell a waiter when to try
 * again. An estimate larger than the limit waits for a full quota.
 *
 * <p>Estimates are debited when reserved and corrected by the actual count when the call reports
 * it, until the next server report replaces the view (then the correction is dropped: the server's
 * figures already count the call). Waiters park on the time source and wake at the time the quota
 * should cover them, or earlier when a report or a correction frees tokens.
 */
final class ServerTokenQuota {
  /** What one acquisition took from the view; {@code epoch} ties it to the report it debited. */
  record Reservation(long epoch, long estimate) {}

  private final TimeSource time;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<Unit, Bucket> buckets = new EnumMap<>(Unit.class);
  private volatile boolean active;
  private long epoch;

  ServerTokenQuota(TimeSource time) {
    this.time = time;
  }

  /** Whether any token quota is being followed; cheap, for the fast path. */
  boolean active() {
    return active;
  }

  /** Replaces the view of every token quota in the signals. */
  void update(List<QuotaSignal> signals, long nowNanos) {
    boolean any = false;
    for (QuotaSignal signal : signals) {
      any |= followed(signal.unit());
    }
    if (!any) {
      return;
    }
    lock.lock();
    try {
      for (QuotaSignal signal : signals) {
        if (followed(signal.unit())) {
          Bucket bucket = Bucket.of(signal, nowNanos);
          if (bucket == null) {
            buckets.remove(signal.unit());
          } else {
            buckets.put(signal.unit(), bucket);
          }
        }
      }
      epoch++;
      active = !buckets.isEmpty();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Debits {@code estimate} tokens once every followed quota covers them, waiting until then or the
   * deadline.
   *
   * @return the reservation, or {@code null} if the deadline passed first
   * @throws IllegalArgumentException if the estimate is negative
   * @throws InterruptedException if interrupted while waiting; nothing is debited then
   */
  @Nullable Reservation reserve(long estimate, long deadlineNanos) throws InterruptedException {
    if (estimate < 0) {
      throw new IllegalArgumentException("estimated tokens must be >= 0, was " + estimate);
    }
    lock.lock();
    try {
      while (true) {
        long now = time.nanoTime();
        long fitsAt = fitsAt(estimate, now);
        if (fitsAt <= now) {
          for (Bucket bucket : buckets.values()) {
            bucket.level -= estimate;
          }
          return new Reservation(epoch, estimate);
        }
        if (now >= deadlineNanos) {
          return null;
        }
        time.awaitUntil(lock, changed, Math.min(fitsAt, deadlineNanos));
      }
    } finally {
      lock.unlock();
    }
  }

  /** Replaces a reservation's estimate by the actual count, unless a report came since. */
  void reconcile(Reservation reservation, long actual) {
    lock.lock();
    try {
      if (reservation.epoch() != epoch) {
        return;
      }
      long delta = actual - reservation.estimate();
      for (Bucket bucket : buckets.values()) {
        bucket.level -= delta;
        if (bucket.capacity >= 0) {
          bucket.level = Math.min(bucket.level, bucket.capacity);
        }
      }
      if (delta < 0) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Tokens the tightest quota holds now, or -1 when none is followed; for tests. */
  long available() {
    lock.lock();
    try {
      long now = time.nanoTime();
      fitsAt(0, now);
      long least = -1;
      for (Bucket bucket : buckets.values()) {
        long level = (long) Math.floor(bucket.level);
        least = least < 0 ? level : Math.min(least, level);
      }
      return least;
    } finally {
      lock.unlock();
    }
  }

  /** When every quota covers the estimate: {@code now} or earlier if it does now. */
  private long fitsAt(long estimate, long now) {
    long at = now;
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      Bucket bucket = it.next();
      if (!bucket.advance(now)) {
        it.remove();
        continue;
      }
      at = Math.max(at, bucket.fitsAt(estimate, now));
    }
    active = !buckets.isEmpty();
    return at;
  }

  private static boolean followed(Unit unit) {
    return unit == Unit.TOKENS || unit == Unit.INPUT_TOKENS;
  }

  /** One reported quota: its level at {@code at}, how it refills and when it is restored. */
  private static final class Bucket {
    final long capacity; // -1 when the server did not say
    final double ratePerNano;
    final long periodNanos; // the next windows after a restore, or -1
    double level;
    long at;
    long restoreAt;

    private Bucket(long capacity, double rate, long period, double level, long at, long restore) {
      this.capacity = capacity;
      this.ratePerNano = rate;
      this.periodNanos = period;
      this.level = level;
      this.at = at;
      this.restoreAt = restore;
    }

    /** The view of a signal, or {@code null} when it never says when waiting would end. */
    static @Nullable Bucket of(QuotaSignal signal, long now) {
      long capacity = signal.quota().orElse(-1);
      long reset = signal.resetAfter().map(Nanos::saturated).orElse(-1L);
      long window = signal.window().map(Nanos::saturated).orElse(-1L);
      double level = capacity >= 0 ? Math.min(signal.remaining(), capacity) : signal.remaining();
      if (signal.resetMeaning() == ResetMeaning.REPLENISHED) {
        double rate = 0;
        if (capacity > 0 && window > 0) {
          rate = (double) capacity / window;
        } else if (capacity > 0 && reset > 0) {
          rate = (capacity - level) / reset;
        }
        if (rate <= 0 && reset < 0) {
          return null;
        }
        return new Bucket(capacity, rate, -1, level, now, restoreAt(now, reset));
      }
      long restore = reset >= 0 ? reset : window;
      if (restore < 0) {
        return null;
      }
      return new Bucket(capacity, 0, window, level, now, restoreAt(now, restore));
    }

    /** Brings the level to {@code now}; {@code false} once the quota no longer constrains. */
    boolean advance(long now) {
      if (now > at) {
        if (ratePerNano > 0) {
          level = Math.min(capacity, level + ratePerNano * (now - at));
        }
        at = now;
      }
      if (now >= restoreAt) {
        if (capacity < 0) {
          return false;
        }
        level = Math.max(level, capacity);
        if (ratePerNano > 0) {
          restoreAt = Long.MAX_VALUE; // the refill rate takes over
        } else if (periodNanos > 0) {
          long periods = (now - restoreAt) / periodNanos + 1;
          restoreAt = Nanos.saturatedAdd(restoreAt, saturatedMultiply(periods, periodNanos));
        } else {
          return false; // restored, and nothing says when it would be again
        }
      }
      return true;
    }

    long fitsAt(long estimate, long now) {
      double need = capacity >= 0 ? Math.min(estimate, capacity) : estimate;
      if (level >= need) {
        return now;
      }
      long at = restoreAt;
      if (ratePerNano > 0) {
        double wait = Math.ceil((need - level) / ratePerNano);
        at = Math.min(at, wait >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + (long) wait);
      }
      return Math.max(at, now + 1);
    }
  }

  private static long restoreAt(long now, long after) {
    return after < 0 ? Long.MAX_VALUE : Nanos.saturatedAdd(now, after);
  }

  private static long saturatedMultiply(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    return high != 0 || low < 0 ? Long.MAX_VALUE : low;
  }
}
