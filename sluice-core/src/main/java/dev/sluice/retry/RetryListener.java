package dev.sluice.retry;

/**
 * Hears what a {@link RetryPolicy} decides while it executes: a retry about to be waited for, a
 * final give-up, a success. Listeners run on the executing thread; keep them short, and do not
 * throw (a listener's exception is logged and ignored).
 */
public interface RetryListener {

  /**
   * An attempt failed and another one will start after {@code event.decision()}'s delay.
   *
   * @param event the attempt, its cause and the delay
   */
  default void onRetry(RetryEvent event) {}

  /**
   * An attempt failed and the policy gave up.
   *
   * @param event the attempt, its cause and the reason
   */
  default void onGiveUp(RetryEvent event) {}

  /**
   * An attempt succeeded.
   *
   * @param event the attempt and its result
   */
  default void onSuccess(RetryEvent event) {}
}
