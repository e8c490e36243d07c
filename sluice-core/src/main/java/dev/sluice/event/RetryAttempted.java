package dev.sluice.event;

import dev.sluice.retry.RetryDecision;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An attempt under a retry policy ended, and the policy decided what comes next: another attempt
 * after {@link RetryDecision.Retry#delay()}, giving up ({@link RetryDecision.GiveUp#reason()}), or
 * done with a result ({@link RetryDecision.Done}).
 *
 * @param attempt the number of the attempt that just ended, from 1
 * @param elapsed time since the first attempt started
 * @param failure the attempt's failure, or {@code null} if it returned a result
 * @param result the attempt's result, or {@code null} if it failed (or returned {@code null})
 * @param decision what the policy decided
 */
public record RetryAttempted(
    int attempt,
    Duration elapsed,
    @Nullable Throwable failure,
    @Nullable Object result,
    RetryDecision decision)
    implements PolicyEvent {

  /**
   * Whether another attempt follows.
   *
   * @return {@code true} for a {@link RetryDecision.Retry}
   */
  public boolean retrying() {
    return decision instanceof RetryDecision.Retry;
  }

  /**
   * Whether the policy gave up, with {@link #failure()} (or a result it retried on) as the last
   * outcome.
   *
   * @return {@code true} for a {@link RetryDecision.GiveUp}
   */
  public boolean gaveUp() {
    return decision instanceof RetryDecision.GiveUp;
  }

  /**
   * Whether the attempt's outcome was final and not a failure.
   *
   * @return {@code true} for a {@link RetryDecision.Done}
   */
  public boolean succeeded() {
    return decision instanceof RetryDecision.Done;
  }
}
