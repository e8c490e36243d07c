package dev.sluice.durable;

import dev.sluice.durable.store.ExecutionRecord;

/** What happens after a failed attempt: when the next one may start, or never. */
final class Retries {
  private Retries() {}

  /** The error text stored for a failed attempt: the exception class and its message. */
  static String describe(Throwable failure) {
    String message = failure.getMessage();
    return failure.getClass().getName() + (message == null ? "" : ": " + message);
  }

  /**
   * When the next attempt may start, in UTC epoch milliseconds, or -1 to give up.
   *
   * @param execution the execution whose attempt failed
   * @param task its task
   * @param failure the failure
   * @param now the time of the failure
   */
  static long nextAttemptAt(
      ExecutionRecord execution, Task<?, ?> task, Throwable failure, long now) {
    if (execution.attempt() >= execution.maxAttempts()) {
      return -1;
    }
    return now;
  }
}
