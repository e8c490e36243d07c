package dev.sluice.throttle;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The adaptive limits of a throttle as a small pure object: a dispatch rate (the fine lever) and a
 * concurrency derived from it. It takes failures, successes (through {@link CallMeter}) and the
 * passing of time, and returns new limits. Not thread-safe; {@link Throttle} guards it with a lock.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li><b>Slow start.</b> Against an unknown server it starts at the initial rate and concurrency
 *       (2 calls per second, 1 call in flight by default) and doubles the rate after every step of
 *       at least 250 ms (and one round trip) that saw two successes of calls booked at the current
 *       rate, until the first failure or the first response whose headers state the server's rate.
 *   <li><b>Concurrency follows the rate.</b> Once a round trip is known, concurrency is what the
 *       rate needs over twice the round trip, plus one, up to the maximum: callers beyond it wait
 *       at the gate instead of holding dispatch slots booked far ahead.
 *   <li><b>Slow down in proportion.</b> When the failures in the window reach the threshold, the
 *       known maximum becomes what the server took (the rate sent, if it refused few; what it
 *       admitted, if it refused many), at most 95% of the rate that failed and at least half of it
 *       (a quarter in slow start), or the rate held without failure for the last {@code max(2 s, 10
 *       calls)} if that is higher; the rate becomes 90% of the known maximum. Failures of calls
 *       booked before the latest slow-down measure the old rate and are not counted, and a call
 *       whose slot was booked before it books again at the new spacing.
 *   <li><b>Recover, then search, then probe.</b> After the hold ({@code coolingPeriod}), and only
 *       while callers are actually waiting for the rate, it closes half the distance to the known
 *       maximum per second. It stays there until a probe is worth its refusal (100 calls, fewer
 *       while the rate that failed is more than 10% above), then closes a quarter of the distance
 *       to the rate that failed per second. Past that rate without a failure, the limit rose: it
 *       probes upward, 0.5% per second at first, the gain doubling every 2.5 s without a failure
 *       (at most 20% per second), so a raised limit is followed within seconds.
 *   <li>The known maximum is forgotten after {@code safeCeilingDecay} without a failure.
 * </ul>
 */
final class RateController {
  static final double DECREASE = 0.9;

  /** At or above this rate pacing is off: the concurrency alone limits. */
  static final double UNPACED = 1_000_000;

  static final long TICK_NANOS = 100_000_000L;
  private static final long SLOW_START_STEP_NANOS = 250_000_000L;
  private static final long MIN_MEASURE_NANOS = 1_000_000_000L;
  private static final long MAX_MEASURE_NANOS = 6_000_000_000L;
  private static final double RECOVERY_PER_SECOND = 0.5;
  private static final double NEAR_MAXIMUM = 0.98;
  private static final double PROBE_GAIN = 0.005;
  private static final double PROBE_GAIN_MAX = 0.2;
  private static final double PROBE_DOUBLING_SECONDS = 2.5;
  private static final double PROBE_DOUBLING_CALLS = 20;
  private static final double PROBE_FULL_GAIN_RATE = 25;
  private static final double HEADROOM = 2.0;
  private static final double EDGE_SHARE = 0.2;
  private static final double SERVER_FLOOR = 0.8;
  private static final long HELD_NANOS = 2_000_000_000L;
  private static final double HELD_CALLS = 10;
  private static final double BELOW_FAILED = 0.95;
  private static final double BRACKET_PER_SECOND = 0.25;
  private static final double BRACKET_DONE = 0.99;
  private static final double PROBE_SPACING_CALLS = 100;
  private static final double WIDE_BRACKET = 0.1;
  private static final int HISTORY = 64;

  private final int maxConcurrency;
  private final double minRate;
  private final double maxRate;
  private final int failureThreshold;
  private final long failureWindowNanos;
  private final long holdNanos;
  private final long decayNanos;
  private final CallMeter meter;

  private final ArrayDeque<Long> failures = new ArrayDeque<>();
  private double rate;
  private double knownMax = Double.NaN;
  private boolean slowStart;
  private int concurrency;
  private long generation;
  private long holdUntil;
  private long nextTick;
  private long lastTick;
  private long probeSince;
  private long stepAt;
  private double serverRate;
  private long serverRateUntil = Long.MIN_VALUE;
  private long lastFailure;
  private boolean failedSinceDecay;
  private @Nullable Adjustment last;
  private double failedRate = Double.NaN;
  private long probeAfter;
  private final double[] historyRates = new double[HISTORY];
  private final long[] historyTimes = new long[HISTORY];
  private int historyNext;
  private int historySize;

  RateController(ThrottleConfig config, CallMeter meter, long now) {
    this.maxConcurrency = config.maxConcurrency();
    long minInterval = config.minDispatchInterval().toNanos();
    this.maxRate = minInterval == 0 ? Double.POSITIVE_INFINITY : 1e9 / minInterval;
    this.minRate = 1e9 / config.maxDispatchInterval().toNanos();
    this.failureThreshold = config.failureThreshold();
    this.failureWindowNanos = config.failureWindow().toNanos();
    this.holdNanos = config.coolingPeriod().toNanos();
    this.decayNanos = config.safeCeilingDecay().toNanos();
    this.meter = meter;
    this.concurrency = config.initialConcurrency();
    double initial = config.initialRate();
    this.slowStart = initial > 0;
    this.rate = initial > 0 ? Math.max(minRate, Math.min(maxRate, initial)) : maxRate;
    this.stepAt = now;
    this.lastTick = now;
    this.nextTick = now + TICK_NANOS;
    this.probeSince = now;
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

  /** A speed-up step or a ceiling reset, in the order they happened. */
  record Step(Adjustment adjustment, int oldCeiling, boolean ceilingReset) {}

  /**
   * Records a failure.
   *
   * @param now the current ticker reading
   * @param dispatchGeneration the {@link #generation()} when the failed call was dispatched, or -1
   *     for a failure reported outside a permit (always counted)
   * @return what happened; on {@link Verdict#SLOWED_DOWN} read the change with {@link #last}
   */
  Verdict onFailure(long now, long dispatchGeneration) {
    if (dispatchGeneration >= 0 && dispatchGeneration < generation) {
      return Verdict.STALE;
    }
    prune(now);
    failures.addLast(now);
    long previousFailure = failedSinceDecay ? lastFailure : Long.MIN_VALUE;
    lastFailure = now;
    failedSinceDecay = true;
    if (failures.size() < failureThreshold) {
      return Verdict.COUNTED;
    }
    double held = heldRate(now, previousFailure);
    int oldConcurrency = concurrency;
    double oldRate = rate;
    long window = measureWindow();
    double admitted = meter.rate(now, window);
    double refused = meter.failureRate(now, window);
    double sent = admitted + refused;
    double base;
    if (admitted <= 0) {
      base = Double.isInfinite(rate) ? concurrency * 1e9 / Math.max(TICK_NANOS, roundTrip()) : rate;
      knownMax = base / 2;
      rate = base / 2;
    } else {
      // barely over (few refusals): the limit is about the rate sent at; well over: the server
      // admitted what it could, and that is the limit
      base = refused <= EDGE_SHARE * sent ? sent : admitted;
      if (Double.isFinite(rate)) {
        // one slow-down never cuts below half the rate in force (a quarter in slow start): the
        // window may reach back to before the last rise, and in slow start the step before the
        // last passed without failure, though perhaps only on the server's burst allowance
        base = Math.max(base, rate / (slowStart ? 4 : 2));
        base = Math.min(rate, base);
        // a burst allowance lets a rate above the limit pass for a while: the rate that failed is
        // above the limit, and so is what was sent just before, so the maximum stays below it
        base = Math.min(base, rate * BELOW_FAILED);
      }
      knownMax = base;
      if (Double.isFinite(oldRate)) {
        // the limit lies between what was held without failure and what failed: recovery
        // returns to the first, probing searches the gap up to the second
        double clean = Math.min(held, oldRate * BELOW_FAILED);
        if (clean > knownMax) {
          knownMax = clean;
        }
      }
      rate = knownMax * DECREASE;
      if (serverRateUntil > now) {
        // the server stated its sustained rate: refusals near it come from arrival jitter, which
        // a fifth of slack absorbs; never fall further below what it said
        rate = Math.max(rate, serverRate * SERVER_FLOOR);
        knownMax = Math.max(knownMax, rate);
      }
    }
    if (Double.isFinite(oldRate)) {
      failedRate = oldRate;
      double gap = (failedRate - knownMax) / knownMax;
      double calls = PROBE_SPACING_CALLS * Math.min(1, WIDE_BRACKET / Math.max(gap, 1e-9));
      probeAfter = now + Math.max(holdNanos, (long) (calls / knownMax * 1e9));
    }
    rate = Math.max(minRate, Math.min(maxRate, rate));
    slowStart = false;
    holdUntil = now + Math.max(holdNanos, 2 * roundTrip());
    probeSince = now;
    failures.clear();
    generation++;
    // without a round trip to derive it from, concurrency halves with the rate
    concurrency = roundTrip() == 0 ? Math.max(1, concurrency / 2) : derivedConcurrency(now);
    last =
        new Adjustment(
            oldConcurrency, concurrency, interval(oldRate), interval(rate), ceilingConcurrency());
    return Verdict.SLOWED_DOWN;
  }

  /** The change made by the latest slow-down. */
  @Nullable Adjustment last() {
    return last;
  }

  /**
   * The server stated its sustained rate (from rate-limit headers) until {@code until}: slow start
   * is over, and the rate rises to it at once; pacing to it is the pacer's job.
   */
  void onServerRate(long now, double perSecond, long until) {
    if (!(perSecond > 0)) {
      return;
    }
    serverRate = perSecond;
    serverRateUntil = until;
    if (slowStart || (Double.isNaN(knownMax) && rate < perSecond)) {
      slowStart = false;
      rate = Math.max(rate, Math.min(maxRate, perSecond));
      knownMax = Math.max(Double.isNaN(knownMax) ? 0 : knownMax, perSecond);
      probeSince = now;
    }
    concurrency = derivedConcurrency(now);
  }

  /**
   * Applies every change due by {@code now}: slow-start doublings, recovery and probing steps (only
   * if {@code constrained}, that is, callers waited for the rate or concurrency since the last
   * review), and the known maximum's decay.
   *
   * @return the changes made, oldest first; empty when nothing was due
   */
  List<Step> review(long now, boolean constrained) {
    List<Step> steps = List.of();
    if (failedSinceDecay && !Double.isNaN(knownMax) && now >= lastFailure + decayNanos) {
      int oldCeiling = ceilingConcurrency();
      knownMax = Double.NaN;
      failedRate = Double.NaN;
      failedSinceDecay = false;
      probeSince = now;
      steps = new ArrayList<>();
      steps.add(new Step(unchanged(), oldCeiling, true));
    }
    if (now < nextTick) {
      return steps;
    }
    long elapsed = Math.min(1_000_000_000L, now - lastTick);
    lastTick = now;
    nextTick = now + TICK_NANOS;
    int oldConcurrency = concurrency;
    double oldRate = rate;
    if (constrained && Double.isFinite(rate)) {
      if (slowStart) {
        // a step needs two successes of calls sent at the current rate: successes of calls sent
        // before it say nothing about whether the server takes it
        if (meter.sinceMark() >= 2
            && now - stepAt >= Math.max(SLOW_START_STEP_NANOS, roundTrip())) {
          rate = Math.min(maxRate, rate * 2);
          stepAt = now;
          meter.mark(now);
        }
      } else if (now >= holdUntil) {
        grow(now, elapsed / 1e9);
      }
      if (rate >= UNPACED) {
        rate = Double.POSITIVE_INFINITY;
      }
    }
    concurrency = derivedConcurrency(now);
    remember(now);
    if (rate != oldRate || concurrency != oldConcurrency) {
      if (steps.isEmpty()) {
        steps = new ArrayList<>();
      }
      steps.add(
          new Step(
              new Adjustment(
                  oldConcurrency,
                  concurrency,
                  interval(oldRate),
                  interval(rate),
                  ceilingConcurrency()),
              ceilingConcurrency(),
              false));
    }
    return steps;
  }

  private void grow(long now, double seconds) {
    if (!Double.isNaN(knownMax) && rate < knownMax * NEAR_MAXIMUM) {
      double gap = knownMax - rate;
      rate += gap * Math.min(1, RECOVERY_PER_SECOND * seconds) + knownMax * 0.01 * seconds;
      probeSince = now;
    } else if (!Double.isNaN(failedRate) && now < probeAfter) {
      probeSince = now; // hold below the rate that failed until the probe is worth its refusal
    } else if (!Double.isNaN(failedRate) && rate < failedRate * BRACKET_DONE) {
      // search the gap up to the rate that failed: it costs at most the one refusal at the limit
      double gap = failedRate - rate;
      rate += gap * Math.min(1, BRACKET_PER_SECOND * seconds);
      probeSince = now;
    } else {
      // past the rate that failed (the limit rose, or the failure was noise): probe from here, a
      // slow limit gently: each probe above it costs a refused call, so the gain and its doubling
      // are measured in calls as well as in seconds
      failedRate = Double.NaN;
      double probing = (now - probeSince) / 1e9;
      double doubling = Math.max(PROBE_DOUBLING_SECONDS, PROBE_DOUBLING_CALLS / rate);
      double start = PROBE_GAIN * Math.min(1, rate / PROBE_FULL_GAIN_RATE);
      double gain = Math.min(PROBE_GAIN_MAX, start * Math.pow(2, probing / doubling));
      rate *= 1 + gain * seconds;
    }
    rate = Math.min(maxRate, rate);
  }

  /**
   * The lowest rate in force over the last {@code max(2 s, 10 calls)}, if that span saw no failure
   * and the history reaches back that far; otherwise NaN.
   */
  private double heldRate(long now, long previousFailure) {
    if (!Double.isFinite(rate) || rate <= 0) {
      return Double.NaN;
    }
    long span = Math.max(HELD_NANOS, (long) (HELD_CALLS / rate * 1e9));
    long since = now - span;
    if (previousFailure > since) {
      return Double.NaN;
    }
    double lowest = rate;
    boolean reaches = false;
    for (int i = 0; i < historySize; i++) {
      long at = historyTimes[i];
      if (at >= since) {
        lowest = Math.min(lowest, historyRates[i]);
      } else {
        reaches = true;
      }
    }
    return reaches ? lowest : Double.NaN;
  }

  private void remember(long now) {
    historyRates[historyNext] = rate;
    historyTimes[historyNext] = now;
    historyNext = (historyNext + 1) % HISTORY;
    historySize = Math.min(HISTORY, historySize + 1);
  }

  /** The earliest ticker reading at which {@link #review} could change something. */
  long nextReview() {
    long decayAt =
        failedSinceDecay && !Double.isNaN(knownMax) ? lastFailure + decayNanos : Long.MAX_VALUE;
    long tickAt = Double.isFinite(rate) || slowStart ? nextTick : Long.MAX_VALUE;
    return Math.min(decayAt, tickAt);
  }

  private int derivedConcurrency(long now) {
    long roundTrip = roundTrip();
    if (Double.isInfinite(rate) || roundTrip == 0) {
      return Double.isInfinite(rate) && !Double.isNaN(knownMax) ? maxConcurrency : concurrency;
    }
    double effective = serverRateUntil > now ? Math.min(rate, serverRate) : rate;
    return needed(effective, roundTrip);
  }

  private int needed(double perSecond, long roundTrip) {
    double inFlight = Math.ceil(perSecond * roundTrip / 1e9 * HEADROOM) + 1;
    return (int) Math.max(1, Math.min(maxConcurrency, inFlight));
  }

  /** The concurrency the known maximum needs: what the throttle reports as its safe ceiling. */
  int ceilingConcurrency() {
    long roundTrip = roundTrip();
    return Double.isNaN(knownMax) || roundTrip == 0 ? maxConcurrency : needed(knownMax, roundTrip);
  }

  private long measureWindow() {
    long window = Math.max(MIN_MEASURE_NANOS, 2 * roundTrip());
    if (Double.isFinite(rate) && rate > 0) {
      window = Math.max(window, (long) (10e9 / rate));
    }
    return Math.min(MAX_MEASURE_NANOS, window);
  }

  private long roundTrip() {
    return meter.roundTrip();
  }

  private Adjustment unchanged() {
    return new Adjustment(
        concurrency, concurrency, interval(rate), interval(rate), ceilingConcurrency());
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
    return ceilingConcurrency();
  }

  /** The rate in calls per second; infinite when pacing is off. */
  double rate() {
    return rate;
  }

  /** The dispatch interval the rate asks for; 0 when pacing is off. */
  long intervalNanos() {
    return Double.isInfinite(rate) ? 0 : (long) (1e9 / rate);
  }

  /** Whether the throttle is below the maximum it knows, after a slow-down. */
  boolean cooling(long now) {
    return now < holdUntil || (!Double.isNaN(knownMax) && rate < knownMax * NEAR_MAXIMUM);
  }

  boolean slowStart() {
    return slowStart;
  }

  long generation() {
    return generation;
  }

  private static Duration interval(double perSecond) {
    return Double.isInfinite(perSecond)
        ? Duration.ZERO
        : Duration.ofNanos((long) (1e9 / perSecond));
  }
}
