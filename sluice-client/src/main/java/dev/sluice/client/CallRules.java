package dev.sluice.client;

import dev.sluice.Policy;
import dev.sluice.PolicyChain;
import dev.sluice.Sluice;
import dev.sluice.breaker.CircuitBreaker;
import dev.sluice.breaker.CircuitOpenException;
import dev.sluice.retry.RetryAfter;
import dev.sluice.retry.RetryPolicy;
import dev.sluice.time.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * What the gentle clients share: the retry and breaker composed around each attempt, which statuses
 * are failures, and how long a response asks to wait.
 */
final class CallRules {
  final PolicyChain policies;
  private final IntPredicate failureStatus;
  private final TimeSource time;

  CallRules(
      @Nullable RetryPolicy retry,
      @Nullable CircuitBreaker breaker,
      IntPredicate failureStatus,
      TimeSource time) {
    List<Policy> chain = new ArrayList<>(2);
    if (retry != null) {
      chain.add(retry.toBuilder().retryAfter(CallRules::askedDelay).build());
    }
    if (breaker != null) {
      chain.add(breaker);
    }
    this.policies = Sluice.with(chain);
    this.failureStatus = failureStatus;
    this.time = time;
  }

  boolean isFailure(int status) {
    return failureStatus.test(status);
  }

  /**
   * The wait a response asks for: its Retry-After, or the reset of an exhausted RateLimit quota.
   */
  @Nullable Duration retryAfter(@Nullable String retryAfter, @Nullable String rateLimit) {
    return RetryAfter.of(retryAfter, rateLimit, time.now()).orElse(null);
  }

  /** The wait a failure asks for: a response's Retry-After, an open breaker's time to a probe. */
  private static Optional<Duration> askedDelay(
      @Nullable Throwable failure, @Nullable Object result) {
    if (failure instanceof HttpStatusException refused) {
      return refused.retryAfter();
    }
    if (failure instanceof OkHttpStatusException refused) {
      return refused.retryAfter();
    }
    if (failure instanceof CircuitOpenException open) {
      return Optional.of(open.retryAfter());
    }
    return Optional.empty();
  }
}
