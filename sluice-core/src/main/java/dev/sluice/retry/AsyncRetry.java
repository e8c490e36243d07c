package dev.sluice.retry;

import dev.sluice.ExecutionSuspended;
import dev.sluice.event.RetryAttempted;
import dev.sluice.time.TimeSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** One asynchronous execution of a {@link RetryPolicy}; the returned future is the whole run. */
final class AsyncRetry<T extends @Nullable Object> {
  private final RetryPolicy policy;
  private final Supplier<? extends CompletionStage<T>> work;
  private final @Nullable ScheduledExecutorService scheduler;
  private final TimeSource time;
  private final CompletableFuture<T> outcome = new CompletableFuture<>();
  private final long start;

  AsyncRetry(
      RetryPolicy policy,
      Supplier<? extends CompletionStage<T>> work,
      @Nullable ScheduledExecutorService scheduler) {
    this.policy = policy;
    this.work = work;
    this.scheduler = scheduler;
    this.time = policy.time();
    this.start = time.nanoTime();
  }

  CompletableFuture<T> start() {
    attempt(1, null);
    return outcome;
  }

  private void attempt(int attempt, @Nullable Duration previousDelay) {
    if (outcome.isDone()) {
      return; // cancelled by the caller: no further attempts
    }
    CompletionStage<T> stage;
    try {
      stage = work.get();
    } catch (Throwable t) {
      stage = CompletableFuture.failedFuture(t);
    }
    stage.whenComplete((result, failure) -> onOutcome(attempt, previousDelay, result, failure));
  }

  private void onOutcome(
      int attempt,
      @Nullable Duration previousDelay,
      @Nullable T result,
      @Nullable Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException ce && ce.getCause() != null
            ? ce.getCause()
            : failure;
    if (cause instanceof ExecutionSuspended) {
      outcome.completeExceptionally(cause); // not an outcome: no decision, no event, no retry
      return;
    }
    Duration elapsed = Duration.ofNanos(time.nanoTime() - start);
    RetryDecision decision;
    try {
      decision = policy.decide(attempt, elapsed, cause, result, null, previousDelay);
    } catch (RuntimeException e) {
      outcome.completeExceptionally(e);
      return;
    }
    Listeners.report(
        policy.listeners(), new RetryAttempted(attempt, elapsed, cause, result, decision));
    if (decision instanceof RetryDecision.Retry retry) {
      Duration delay = retry.delay();
      if (scheduler != null) {
        scheduler.schedule(
            () -> attempt(attempt + 1, delay), delay.toNanos(), TimeUnit.NANOSECONDS);
      } else {
        time.delay(delay).thenRun(() -> attempt(attempt + 1, delay));
      }
    } else if (cause == null) {
      outcome.complete(result);
    } else {
      outcome.completeExceptionally(cause);
    }
  }
}
