package dev.sluice.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link RetryPolicy#decide} concluded about one outcome: {@link Retry} after a delay, {@link
 * Done} because the outcome is a success, or {@link GiveUp} with a reason.
 *
 * <pre>{@code
 * switch (policy.decide(attempts, elapsed, failure, result, retryAfter)) {
 *   case RetryDecision.Retry retry -> reschedule(retry.delay());
 *   case RetryDecision.Done done -> complete();
 *   case RetryDecision.GiveUp giveUp -> fail(giveUp.reason());
 * }
 * }</pre>
 */
public sealed interface RetryDecision
    permits RetryDecision.Retry, RetryDecision.Done, RetryDecision.GiveUp {

  /**
   * Try again after {@code delay}.
   *
   * @param delay how long to wait first, never negative
   */
  record Retry(Duration delay) implements RetryDecision {
    /** Checks the delay. */
    public Retry {
      Objects.requireNonNull(delay, "delay");
    }
  }

  /** The outcome is a success by the policy's rules: nothing to retry. */
  record Done() implements RetryDecision {}

  /**
   * The outcome is a failure and will not be retried.
   *
   * @param reason why
   */
  record GiveUp(Reason reason) implements RetryDecision {
    /** Checks the reason. */
    public GiveUp {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Why a policy gave up. */
  enum Reason {
    /** The failure or result is not one the policy retries. */
    NOT_RETRYABLE,
    /** An abort condition matched. */
    ABORTED,
    /** The maximum number of attempts has been made. */
    MAX_ATTEMPTS,
    /** The next attempt would start after the maximum elapsed time. */
    MAX_ELAPSED,
    /** The server's Retry-After exceeds the maximum delay and the policy gives up in that case. */
    RETRY_AFTER_TOO_LONG
  }
}
