package dev.sluice.breaker;

import org.jspecify.annotations.Nullable;

/**
 * One immutable stage of a breaker's life. The breaker holds the current stage in an atomic
 * reference and moves on by compare-and-set, so a transition away from a stage happens at most
 * once; outcomes reported to a stage that is no longer current change nothing that matters.
 */
abstract sealed class BreakerState
    permits ClosedState, OpenState, HalfOpenState, ForcedOpenState, DisabledState {
  final DefaultCircuitBreaker breaker;

  BreakerState(DefaultCircuitBreaker breaker) {
    this.breaker = breaker;
  }

  abstract CircuitState state();

  /** A permit for one call, or {@code null} when the call is rejected. */
  abstract @Nullable StatePermit tryAcquire();

  /** Nanoseconds until a call may be admitted; 0 when one would be now. */
  abstract long retryAfterNanos(long now);

  /** The open delay the next trip or failed probe starts from. */
  abstract long openDelayNanos();

  /**
   * Records a success. {@code permit} is the permit reported on, or {@code null} from the
   * decorators' permit-free fast path, which only closed and disabled stages see.
   */
  void onSuccess(@Nullable StatePermit permit, boolean slow) {}

  /** Records a failure; {@code permit} as for {@link #onSuccess}. */
  void onFailure(@Nullable StatePermit permit, boolean slow) {}

  void onIgnore(StatePermit permit) {}

  /** Adds this stage's counts to a snapshot under construction. */
  void describe(SnapshotBuilder snapshot) {}
}
