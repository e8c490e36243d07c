package dev.sluice.ratelimit.internal;

import dev.sluice.ratelimit.Algorithm;
import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import java.util.List;
import java.util.Objects;

/**
 * The decision on a key with one GCRA limit, and, when allowed, the key's new state: the whole
 * state is one long (the theoretical arrival time), kept inline, so a decision is a few arithmetic
 * operations and one small object. It decides exactly as the {@link Evaluator} does on the state
 * array {@code {tat}}.
 *
 * <p>Not API: shapes may change between releases.
 */
public final class GcraDecision implements Snapshot {
  private final List<Limit> limits;
  private final long tat;
  private final long nowNanos;
  private final long retryAfterNanos;
  // the remaining permits with the sign bit flipped, 0 until computed: computed on first use (a
  // 64-bit division) and then read by every header and listener that asks. One field, so a racing
  // reader sees either 0 (and computes the same value again) or the value, never half of a pair;
  // no remaining is Long.MIN_VALUE, the one value whose flipped form is 0
  private long remainingFlipped;

  private GcraDecision(List<Limit> limits, long tat, long nowNanos, long retryAfterNanos) {
    this.limits = limits;
    this.tat = tat;
    this.nowNanos = nowNanos;
    this.retryAfterNanos = retryAfterNanos;
  }

  /**
   * Whether a list of limits is a single GCRA limit, the case this class decides.
   *
   * @param limits the limits of a key
   * @return true for one GCRA limit
   */
  public static boolean covers(List<Limit> limits) {
    return limits.size() == 1 && limits.get(0).algorithm() == Algorithm.GCRA;
  }

  /**
   * Decides on {@code cost} permits.
   *
   * @param limits one GCRA limit, see {@link #covers}
   * @param tat the key's theoretical arrival time, or any earlier time; advanced to {@code now}
   *     here
   * @param cost permits wanted, at least 1
   * @param now the current time
   * @return an allowed decision holding the charged state, or a denial (nothing to write)
   */
  public static GcraDecision decide(List<Limit> limits, long tat, long cost, long now) {
    Limit limit = limits.get(0);
    long advanced = Math.max(tat, now);
    long deficit = Gcra.deficit(limit, advanced, cost, now);
    if (deficit > 0) {
      return new GcraDecision(limits, advanced, now, deficit);
    }
    return new GcraDecision(limits, Gcra.take(limit, advanced, cost), now, 0);
  }

  /**
   * The theoretical arrival time after this decision.
   *
   * @return nanoseconds of the caller's time source
   */
  public long tat() {
    return tat;
  }

  @Override
  public long nowNanos() {
    return nowNanos;
  }

  @Override
  public long wholeAt() {
    return tat;
  }

  /**
   * {@inheritDoc}
   *
   * @return a new array {@code {tat}}
   */
  @Override
  public long[] state() {
    return new long[] {tat};
  }

  @Override
  public boolean allowed() {
    return retryAfterNanos == 0;
  }

  @Override
  public List<Limit> limits() {
    return limits;
  }

  @Override
  public long remaining(int index) {
    Objects.checkIndex(index, 1);
    long flipped = remainingFlipped;
    if (flipped == 0) {
      flipped = Gcra.remaining(limits.get(0), tat, nowNanos) ^ Long.MIN_VALUE;
      remainingFlipped = flipped;
    }
    return flipped ^ Long.MIN_VALUE;
  }

  @Override
  public long resetAfterNanos(int index) {
    Objects.checkIndex(index, 1);
    return tat - nowNanos;
  }

  @Override
  public boolean violated(int index) {
    Objects.checkIndex(index, 1);
    return retryAfterNanos != 0;
  }

  @Override
  public long retryAfterNanos() {
    return retryAfterNanos;
  }

  @Override
  public String toString() {
    return Decision.describe(this);
  }
}
