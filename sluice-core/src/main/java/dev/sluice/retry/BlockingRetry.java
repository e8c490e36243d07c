package dev.sluice.retry;

import dev.sluice.time.TimeSource;
import java.time.Duration;

/** One blocking execution of a {@link RetryPolicy}: attempt, decide, park, repeat. */
final class BlockingRetry {
  private final RetryPolicy policy;
  private final TimeSource time;

  BlockingRetry(RetryPolicy policy) {
    this.policy = policy;
    this.time = policy.time();
  }

  <T> T run(CheckedSupplier<T> work) {
    long start = time.nanoTime();
    Duration previousDelay = null;
    for (int attempt = 1; ; attempt++) {
      T result = null;
      Throwable failure = null;
      try {
        result = work.get();
      } catch (Throwable t) { // every outcome goes to the policy; Errors are not retried by default
        failure = t;
      }
      if (failure instanceof InterruptedException interrupted) {
        Thread.currentThread().interrupt(); // an interrupted caller wants to stop, not retry
        throw new RetryException("retry interrupted during attempt " + attempt, null, interrupted);
      }
      Duration elapsed = Duration.ofNanos(time.nanoTime() - start);
      RetryDecision decision =
          policy.decide(attempt, elapsed, failure, result, null, previousDelay);
      Listeners.report(
          policy.listeners(), new RetryEvent(attempt, elapsed, failure, result, decision));
      if (decision instanceof RetryDecision.Retry retry) {
        previousDelay = retry.delay();
        try {
          time.sleep(retry.delay());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RetryException(
              "retry interrupted while waiting after attempt " + attempt, null, e);
        }
      } else if (failure == null) {
        return result;
      } else {
        throw rethrow(failure, ((RetryDecision.GiveUp) decision).reason(), attempt);
      }
    }
  }

  static RuntimeException rethrow(Throwable failure, RetryDecision.Reason reason, int attempts) {
    if (failure instanceof RuntimeException unchecked) {
      return unchecked;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    return new RetryException(
        "gave up after " + attempts + " attempt(s): " + reason, reason, failure);
  }
}
