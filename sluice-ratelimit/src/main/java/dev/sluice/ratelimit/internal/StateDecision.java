package dev.sluice.ratelimit.internal;

import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Decision} that reads its figures on demand from the state the algorithms left, so an
 * in-process store builds no arrays a caller may never read. The state array must never change
 * after the decision is made. An in-process store may keep the decision itself as the key's state.
 *
 * <p>Not API: shapes may change between releases.
 */
public class StateDecision implements Decision {
  private final List<Limit> limits;
  private final long[] state;
  private final long nowNanos;

  /**
   * Wraps the state of an allowed decision.
   *
   * @param limits the limits decided on
   * @param state their state after the decision, never changed afterwards
   * @param nowNanos the time of the decision
   */
  public StateDecision(List<Limit> limits, long[] state, long nowNanos) {
    this.limits = limits;
    this.state = state;
    this.nowNanos = nowNanos;
  }

  /**
   * Wraps the state of a denied decision.
   *
   * @param limits the limits decided on
   * @param state their state, advanced to the time of the decision and never changed afterwards
   * @param nowNanos the time of the decision
   * @param retryAfterNanos the wait, or {@link Decision#NEVER}
   * @param violatedMask bit {@code i} set when limit {@code i} refused; not 0
   * @return the decision
   */
  public static StateDecision denied(
      List<Limit> limits, long[] state, long nowNanos, long retryAfterNanos, long violatedMask) {
    return new Denied(limits, state, nowNanos, retryAfterNanos, violatedMask);
  }

  /**
   * The decided state.
   *
   * @return the state array; do not modify
   */
  public final long[] state() {
    return state;
  }

  /**
   * The time the decision was made at.
   *
   * @return nanoseconds of the caller's time source
   */
  public final long nowNanos() {
    return nowNanos;
  }

  @Override
  public boolean allowed() {
    return true;
  }

  @Override
  public final List<Limit> limits() {
    return limits;
  }

  @Override
  public final long remaining(int index) {
    return Evaluator.remaining(limits, state, Objects.checkIndex(index, limits.size()), nowNanos);
  }

  @Override
  public final long resetAfterNanos(int index) {
    return Evaluator.resetAfter(limits, state, Objects.checkIndex(index, limits.size()), nowNanos);
  }

  @Override
  public boolean violated(int index) {
    Objects.checkIndex(index, limits.size());
    return false;
  }

  @Override
  public long retryAfterNanos() {
    return 0;
  }

  @Override
  public String toString() {
    return Decision.describe(this);
  }

  /** A denial: the state was advanced but not charged. */
  private static final class Denied extends StateDecision {
    private final long retryAfterNanos;
    private final long violatedMask;

    Denied(
        List<Limit> limits, long[] state, long nowNanos, long retryAfterNanos, long violatedMask) {
      super(limits, state, nowNanos);
      this.retryAfterNanos = retryAfterNanos;
      this.violatedMask = violatedMask;
    }

    @Override
    public boolean allowed() {
      return false;
    }

    @Override
    public boolean violated(int index) {
      return (violatedMask >>> Objects.checkIndex(index, limits().size()) & 1) != 0;
    }

    @Override
    public long retryAfterNanos() {
      return retryAfterNanos;
    }
  }
}
