package dev.sluice.retry;

import dev.sluice.ExecutionSuspended;
import dev.sluice.SluiceException;
import dev.sluice.event.RetryAttempted;
import dev.sluice.time.TimeSource;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/** One blocking execution of a {@link RetryPolicy}: attempt, decide, park, repeat. */
final class BlockingRetry {
  private final RetryPolicy policy;
  private final TimeSource time;

  BlockingRetry(RetryPolicy policy) {
    this.policy = policy;
    this.time = policy.time();
  }

  <T extends @Nullable Object> T run(Callable<T> work) throws Exception {
    long start = time.nanoTime();
    Duration previousDelay = null;
    for (int attempt = 1; ; attempt++) {
      T result = null;
      Throwable failure = null;
      try {
        result = work.call();
      } catch (ExecutionSuspended suspended) {
        throw suspended; // not an outcome: no decision, no event, no retry
      } catch (Throwable t) { // every outcome goes to the policy; Errors are not retried by default
        failure = t;
      }
      if (failure instanceof InterruptedException interrupted) {
        throw interrupted; // an interrupted caller wants to stop, not retry
      }
      Duration elapsed = Duration.ofNanos(time.nanoTime() - start);
      RetryDecision decision =
          policy.decide(attempt, elapsed, failure, result, null, previousDelay);
      Listeners.report(
          policy.listeners(), new RetryAttempted(attempt, elapsed, failure, result, decision));
      if (decision instanceof RetryDecision.Retry retry) {
        previousDelay = retry.delay();
        time.sleep(retry.delay());
      } else if (failure == null) {
        return result;
      } else {
        throw rethrow(failure);
      }
    }
  }

  private static Exception rethrow(Throwable failure) {
    if (failure instanceof Exception e) {
      return e;
    }
    if (failure instanceof Error error) {
      throw error;
    }
    return new SluiceException("the call threw a " + failure.getClass().getName(), failure);
  }
}
