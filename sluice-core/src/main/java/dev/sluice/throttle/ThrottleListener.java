package dev.sluice.throttle;

/**
 * Receives a {@link Throttle}'s events. Every method has an empty default, so implement only what
 * you need. Methods run on the thread that caused the event (a caller closing its permit, an
 * acquirer), after the throttle's own locks are released except for state changes, which are
 * delivered in order; keep them short and do not block. An exception thrown by a listener is logged
 * and otherwise ignored.
 */
public interface ThrottleListener {
  /**
   * The throttle slowed down after reaching the failure threshold.
   *
   * @param change concurrency and interval before and after, and the new safe ceiling
   */
  default void onSlowDown(Adjustment change) {}

  /**
   * The throttle took one speed-up step after a cooling period without failure.
   *
   * @param change concurrency and interval before and after, and the safe ceiling
   */
  default void onSpeedUp(Adjustment change) {}

  /**
   * The safe ceiling returned to the maximum after the decay period without failure.
   *
   * @param oldCeiling the ceiling before
   * @param newCeiling the ceiling now, the configured maximum concurrency
   */
  default void onCeilingReset(int oldCeiling, int newCeiling) {}

  /**
   * The throttle's state changed.
   *
   * @param from the state before
   * @param to the state now
   */
  default void onStateChange(ThrottleState from, ThrottleState to) {}

  /**
   * Progress crossed a 10% milestone of the configured total tasks.
   *
   * @param percent the milestone: 10, 20 ... 100
   * @param snapshot the throttle's state when it was crossed
   */
  default void onMilestone(int percent, ThrottleSnapshot snapshot) {}
}
