package dev.sluice.throttle;

import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Spaces dispatches by reserving slots atomically: each caller takes the next free slot and moves
 * it one interval on, in one compare-and-set, before it waits. Concurrent callers therefore get
 * distinct slots one interval apart (a dispatch time written after the wait, as some throttles do,
 * lets every concurrent caller compute the same slot).
 *
 * <p>The interval in force is the larger of the adaptive interval and the spacing asked for by the
 * server's rate-limit headers. A pause (from {@code Retry-After}) moves every slot to its end.
 *
 * <p>When the adaptive interval changes, the next free slot moves with it, so the first dispatch
 * after a slow-down already keeps the new spacing from the last one booked (a server with no burst
 * allowance refuses a call that follows its predecessor at the old, shorter spacing).
 *
 * <p>Jitter shifts only the first slot of a train (a dispatch that found the pacer idle), by up to
 * the jitter fraction of the interval; later slots follow it exactly one interval apart. Separate
 * clients thus fall out of lock step, while the gaps of one client never shrink below the interval
 * (a server with no burst allowance refuses any call that comes early).
 */
final class DispatchPacer {
  private final AtomicLong nextFree = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong pausedUntil = new AtomicLong(Long.MIN_VALUE);
  private final double jitterFraction;
  private final RandomGenerator random;
  private volatile long adaptiveIntervalNanos;
  private volatile long serverSpacingNanos;
  private volatile long serverSpacingUntil = Long.MIN_VALUE;

  DispatchPacer(long initialIntervalNanos, double jitterFraction, RandomGenerator random) {
    this.adaptiveIntervalNanos = initialIntervalNanos;
    this.jitterFraction = jitterFraction;
    this.random = random;
  }

  /**
   * Reserves the next dispatch slot.
   *
   * @param now the current ticker reading
   * @return the ticker reading at which the caller may dispatch; {@code now} or later
   */
  long reserve(long now) {
    long interval = interval(now);
    long pause = pausedUntil.get();
    if (interval == 0 && pause <= now) {
      return now;
    }
    long slot;
    while (true) {
      long free = nextFree.get();
      slot = Math.max(Math.max(free, now), pause);
      if (slot > free && jitterFraction > 0 && interval > 0) {
        slot = saturatedAdd(slot, (long) (random.nextDouble() * jitterFraction * interval));
      }
      if (nextFree.compareAndSet(free, saturatedAdd(slot, interval))) {
        return slot;
      }
    }
  }

  /** Whether pacing has ever been asked for; until then {@link #reserve} needs no clock. */
  boolean active() {
    return adaptiveIntervalNanos != 0
        || serverSpacingUntil != Long.MIN_VALUE
        || pausedUntil.get() != Long.MIN_VALUE;
  }

  /** The spacing in force at {@code now}. */
  long interval(long now) {
    long adaptive = adaptiveIntervalNanos;
    return serverSpacingUntil > now ? Math.max(adaptive, serverSpacingNanos) : adaptive;
  }

  /**
   * Sets the adaptive interval; while both the old and the new interval pace, the next free slot
   * moves by their difference (never below the server's spacing in force).
   */
  void setAdaptiveInterval(long nanos, long now) {
    long old = adaptiveIntervalNanos;
    adaptiveIntervalNanos = nanos;
    if (old > 0 && nanos > 0 && nanos != old) {
      long server = serverSpacing(now);
      long delta = Math.max(nanos, server) - Math.max(old, server);
      if (delta != 0) {
        nextFree.getAndUpdate(free -> free == Long.MIN_VALUE ? free : saturatedAdd(free, delta));
      }
    }
  }

  long adaptiveInterval() {
    return adaptiveIntervalNanos;
  }

  /** Whether the adaptive interval, not the server's spacing or a pause, sets the pace now. */
  boolean adaptiveBinds(long now) {
    long adaptive = adaptiveIntervalNanos;
    return adaptive > 0 && adaptive >= serverSpacing(now) && pausedUntil.get() <= now;
  }

  /** How long the server's spacing still holds from {@code now}, or 0. */
  long serverSpacingHold(long now) {
    long until = serverSpacingUntil;
    return until > now ? until - now : 0;
  }

  /** Asks for at least {@code spacing} between dispatches until {@code until}. */
  void setServerSpacing(long spacingNanos, long until) {
    serverSpacingNanos = spacingNanos;
    serverSpacingUntil = until;
  }

  long serverSpacing(long now) {
    return serverSpacingUntil > now ? serverSpacingNanos : 0;
  }

  /** Holds every dispatch until {@code until}; a shorter pause never cuts a longer one short. */
  void pauseUntil(long until) {
    pausedUntil.accumulateAndGet(until, Math::max);
  }

  long pausedUntil() {
    return pausedUntil.get();
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
