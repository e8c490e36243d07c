package dev.sluice.throttle;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The adaptive limits of a throttle as a small pure object: it takes failures and the passing of
 * time and returns new limits. Not thread-safe; {@link Throttle} guards it with a lock.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>Slow down when the failures in the window reach the threshold: concurrency halves (floor
 *       1), the interval doubles (cap), the safe ceiling becomes the old concurrency, the window is
 *       cleared. A slow-down at a ceiling already learned shows that ceiling is not safe either, so
 *       the ceiling becomes one below it: this is how the throttle finds and then holds the highest
 *       concurrency that does not fail.
 *   <li>Failures of calls dispatched before the latest slow-down are not counted: they measure the
 *       old rate, and counting them would cascade one burst of errors into several slow-downs.
 *   <li>Speed up after each full cooling period without a failure: concurrency +1 up to the
 *       ceiling, the interval halves down to its floor (within a millisecond of it, it snaps to
 *       it); again and again, not once.
 *   <li>At concurrency 1 with no interval yet, a slow-down cannot halve concurrency, so the
 *       interval starts at twice the spacing the calls were dispatched at.
 *   <li>The ceiling returns to the maximum after the decay period without a failure.
 * </ul>
 */
final class AimdController {
  /** An interval this close to its floor is the floor: halving for ever would never arrive. */
  private static final long SNAP_NANOS = 1_000_000L;

  private final int maxConcurrency;
  private final long minIntervalNanos;
  private final long maxIntervalNanos;
  private final int failureThreshold;
  private final long failureWindowNanos;
  private final long coolingNanos;
  private final long decayNanos;

  private final ArrayDeque<Long> failures = new ArrayDeque<>();
  private int concurrency;
  private int ceiling;
  private long intervalNanos;
  private boolean cooling;
  private long generation;

  /** Start of the current cooling period: the last slow-down, failure or speed-up step. */
  private long coolingAnchor;

  private long lastFailure;
  private boolean failedSinceDecay;

  AimdController(ThrottleConfig config, long now) {
    this.maxConcurrency = config.maxConcurrency();
    this.minIntervalNanos = config.minDispatchInterval().toNanos();
    this.maxIntervalNanos = config.maxDispatchInterval().toNanos();
    this.failureThreshold = config.failureThreshold();
    this.failureWindowNanos = config.failureWindow().toNanos();
    this.coolingNanos = config.coolingPeriod().toNanos();
    this.decayNanos = config.safeCeilingDecay().toNanos();
    this.concurrency = config.initialConcurrency();
    this.ceiling = maxConcurrency;
    this.intervalNanos = minIntervalNanos;
    this.coolingAnchor = now;
  }

  /** What {@link #onFailure} decided. */
  enum Verdict {
    /** The failure measured an older rate and was not counted. */
    STALE,
    /** Counted; the threshold is not reached. */
    COUNTED,
    /** Counted, and the throttle slowed down. */
    SLOWED_DOWN
  }

  /**
   * Records a failure.
   *
   * @param now the current ticker reading
   * @param dispatchGeneration the {@link #generation()} when the failed call was dispatched, or -1
   *     for a failure reported outside a permit (always counted)
   * @return what happened; on {@link Verdict#SLOWED_DOWN} read the change with {@link #last}
   */
  Verdict onFailure(long now, long dispatchGeneration) {
    return onFailure(now, dispatchGeneration, 0);
  }

  /**
   * Records a failure, knowing the spacing the throttle was dispatching at.
   *
   * @param observedSpacingNanos the time between dispatches when the call failed, or 0 if unknown;
   *     a slow-down at concurrency 1 with no interval yet starts the interval from it, since
   *     concurrency cannot halve any further
   */
  Verdict onFailure(long now, long dispatchGeneration, long observedSpacingNanos) {
    if (dispatchGeneration >= 0 && dispatchGeneration < generation) {
      return Verdict.STALE;
    }
    prune(now);
    failures.addLast(now);
    lastFailure = now;
    failedSinceDecay = true;
    coolingAnchor = now;
    if (failures.size() < failureThreshold) {
      return Verdict.COUNTED;
    }
    int oldConcurrency = concurrency;
    long oldInterval = intervalNanos;
    concurrency = Math.max(1, concurrency / 2);
    long base = intervalNanos;
    if (base == 0 && oldConcurrency == 1) {
      base = observedSpacingNanos;
    }
    intervalNanos = Math.min(maxIntervalNanos, Math.max(minIntervalNanos, doubled(base)));
    boolean failedAtLearnedCeiling = oldConcurrency >= ceiling && ceiling < maxConcurrency;
    ceiling = failedAtLearnedCeiling ? Math.max(1, oldConcurrency - 1) : oldConcurrency;
    failures.clear();
    cooling = true;
    generation++;
    last =
        new Adjustment(
            oldConcurrency, concurrency, nanos(oldInterval), nanos(intervalNanos), ceiling);
    return Verdict.SLOWED_DOWN;
  }

  private Adjustment last;

  /** The change made by the latest slow-down. */
  Adjustment last() {
    return last;
  }

  /** A speed-up step or a ceiling reset, in the order they happened. */
  record Step(Adjustment adjustment, int oldCeiling, boolean ceilingReset) {}

  /**
   * Applies every speed-up step and ceiling reset due by {@code now}: one step per full cooling
   * period that passed without a failure.
   *
   * @param now the current ticker reading
   * @return the changes made, oldest first; empty when nothing was due
   */
  List<Step> review(long now) {
    List<Step> steps = List.of();
    while (true) {
      long decayAt =
          failedSinceDecay && ceiling < maxConcurrency ? lastFailure + decayNanos : Long.MAX_VALUE;
      long stepAt = canSpeedUp() ? coolingAnchor + coolingNanos : Long.MAX_VALUE;
      long next = Math.min(decayAt, stepAt);
      if (next > now) {
        return steps;
      }
      if (steps.isEmpty()) {
        steps = new ArrayList<>();
      }
      if (decayAt <= stepAt) {
        int oldCeiling = ceiling;
        ceiling = maxConcurrency;
        failedSinceDecay = false;
        cooling = false;
        steps.add(new Step(unchanged(), oldCeiling, true));
        continue;
      }
      int oldConcurrency = concurrency;
      long oldInterval = intervalNanos;
      concurrency = Math.min(ceiling, concurrency + 1);
      intervalNanos = halved(intervalNanos);
      coolingAnchor = stepAt;
      if (concurrency >= ceiling && intervalNanos <= minIntervalNanos) {
        cooling = false;
      }
      steps.add(
          new Step(
              new Adjustment(
                  oldConcurrency, concurrency, nanos(oldInterval), nanos(intervalNanos), ceiling),
              ceiling,
              false));
    }
  }

  /** The earliest ticker reading at which {@link #review} could change something. */
  long nextReview() {
    long decayAt =
        failedSinceDecay && ceiling < maxConcurrency ? lastFailure + decayNanos : Long.MAX_VALUE;
    long stepAt = canSpeedUp() ? coolingAnchor + coolingNanos : Long.MAX_VALUE;
    return Math.min(decayAt, stepAt);
  }

  private boolean canSpeedUp() {
    return concurrency < ceiling || intervalNanos > minIntervalNanos;
  }

  private Adjustment unchanged() {
    return new Adjustment(
        concurrency, concurrency, nanos(intervalNanos), nanos(intervalNanos), ceiling);
  }

  private void prune(long now) {
    while (!failures.isEmpty() && now - failures.peekFirst() >= failureWindowNanos) {
      failures.pollFirst();
    }
  }

  int failuresInWindow(long now) {
    prune(now);
    return failures.size();
  }

  int concurrency() {
    return concurrency;
  }

  int ceiling() {
    return ceiling;
  }

  long intervalNanos() {
    return intervalNanos;
  }

  boolean cooling() {
    return cooling;
  }

  long generation() {
    return generation;
  }

  /** Halves the interval; below a millisecond above the floor it snaps to the floor. */
  private long halved(long value) {
    long half = value / 2;
    return half - minIntervalNanos < SNAP_NANOS ? minIntervalNanos : half;
  }

  private static long doubled(long value) {
    return value > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : value * 2;
  }

  private static Duration nanos(long value) {
    return Duration.ofNanos(value);
  }
}
