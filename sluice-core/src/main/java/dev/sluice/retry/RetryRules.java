package dev.sluice.retry;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The pure half of a {@link RetryPolicy}: which outcomes are retried or abort, and the delay before
 * the next attempt from the schedule's backoff, the server's Retry-After, the max delay and the
 * time budget.
 */
record RetryRules(
    RetrySchedule schedule,
    List<Predicate<Throwable>> retryOn,
    List<Predicate<@Nullable Object>> retryIfResult,
    List<Predicate<Throwable>> abortOn,
    List<Predicate<@Nullable Object>> abortIfResult,
    BiFunction<@Nullable Throwable, @Nullable Object, Optional<Duration>> retryAfter,
    RandomGenerator random) {

  /** See {@link RetryPolicy#decide(int, Duration, Throwable, Object, Duration, Duration)}. */
  RetryDecision decide(
      int attemptsSoFar,
      Duration elapsed,
      @Nullable Throwable failureOrNull,
      @Nullable Object resultOrNull,
      @Nullable Duration retryAfterOrNull,
      @Nullable Duration previousDelayOrNull) {
    if (failureOrNull != null) {
      if (matches(abortOn, failureOrNull)) {
        return new RetryDecision.GiveUp(RetryDecision.Reason.ABORTED);
      }
      boolean retryable =
          retryOn.isEmpty() ? failureOrNull instanceof Exception : matches(retryOn, failureOrNull);
      if (!retryable) {
        return new RetryDecision.GiveUp(RetryDecision.Reason.NOT_RETRYABLE);
      }
    } else {
      if (matches(abortIfResult, resultOrNull)) {
        return new RetryDecision.GiveUp(RetryDecision.Reason.ABORTED);
      }
      if (!matches(retryIfResult, resultOrNull)) {
        return new RetryDecision.Done();
      }
    }
    if (attemptsSoFar >= schedule.maxAttempts()) {
      return new RetryDecision.GiveUp(RetryDecision.Reason.MAX_ATTEMPTS);
    }
    Duration serverDelay =
        retryAfterOrNull != null
            ? retryAfterOrNull
            : retryAfter.apply(failureOrNull, resultOrNull).orElse(null);
    Duration delay = schedule.backoff().delayFor(attemptsSoFar, previousDelayOrNull, random);
    if (serverDelay != null && serverDelay.compareTo(delay) > 0) {
      delay = serverDelay;
    }
    if (delay.compareTo(schedule.maxDelay()) > 0) {
      boolean serverAsked = serverDelay != null && serverDelay.compareTo(schedule.maxDelay()) > 0;
      if (serverAsked && schedule.overMaxDelay() == RetrySchedule.OverMaxDelay.GIVE_UP) {
        return new RetryDecision.GiveUp(RetryDecision.Reason.RETRY_AFTER_TOO_LONG);
      }
      delay = schedule.maxDelay();
    }
    if (schedule.maxElapsed() != null && endsAfter(elapsed, delay, schedule.maxElapsed())) {
      return new RetryDecision.GiveUp(RetryDecision.Reason.MAX_ELAPSED);
    }
    return new RetryDecision.Retry(delay);
  }

  /** Whether {@code elapsed + delay > budget}, without overflowing. */
  private static boolean endsAfter(Duration elapsed, Duration delay, Duration budget) {
    return delay.compareTo(budget.minus(elapsed)) > 0;
  }

  private static <X extends @Nullable Object> boolean matches(
      List<Predicate<X>> predicates, X value) {
    for (Predicate<X> p : predicates) {
      if (p.test(value)) {
        return true;
      }
    }
    return false;
  }
}
