package dev.sluice.durable;

import dev.sluice.durable.store.ExecutionRecord;
import dev.sluice.retry.RetryDecision;
import dev.sluice.retry.RetryPolicy;
import dev.sluice.retry.RetrySchedule;
import java.time.Duration;

/**
 * What happens after a failed attempt: when the next one may start, or never.
 *
 * <p>The schedule (max attempts, backoff, max delay, time budget) is the one stored with the
 * execution, so every process computes the same thing. Which failures are retried at all comes from
 * the task's own {@link RetryPolicy} when it has one (its predicates cannot be stored), else every
 * {@link Exception} is retried while attempts remain.
 */
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
    if (execution.retryJson() == null || execution.attempt() >= execution.maxAttempts()) {
      return -1;
    }
    RetrySchedule schedule = RetryScheduleJson.read(execution.retryJson());
    RetryPolicy base =
        task.retryPolicy() == null ? RetryPolicy.builder().build() : task.retryPolicy();
    RetryPolicy policy = base.toBuilder().schedule(schedule).build();
    Duration elapsed = Duration.ofMillis(Math.max(0, now - execution.createdAt()));
    RetryDecision decision = policy.decide(execution.attempt(), elapsed, failure, null, null);
    if (decision instanceof RetryDecision.Retry retry) {
      long delay;
      try {
        delay = retry.delay().toMillis();
      } catch (ArithmeticException tooLong) {
        return Long.MAX_VALUE;
      }
      return delay > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + delay;
    }
    return -1;
  }
}
