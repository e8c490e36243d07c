package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.breaker.CircuitBreaker;
import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.breaker.CircuitOpenException;
import dev.sluice.breaker.CircuitState;
import dev.sluice.event.RetryAttempted;
import dev.sluice.retry.Backoff;
import dev.sluice.retry.RetryPolicy;
import dev.sluice.throttle.Throttle;
import dev.sluice.throttle.ThrottleConfig;
import dev.sluice.throttle.ThrottleState;
import dev.sluice.time.ManualTimeSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PolicyChainTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final List<String> trace = new CopyOnWriteArrayList<>();

  /** A policy that writes when a call enters and leaves it. */
  private final class Tracing implements Policy {
    private final String name;

    Tracing(String name) {
      this.name = name;
    }

    @Override
    public <T> T call(Callable<T> call) throws Exception {
      trace.add(name + ">");
      try {
        return call.call();
      } finally {
        trace.add("<" + name);
      }
    }

    @Override
    public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> call) {
      trace.add(name + ">");
      return call.get().toCompletableFuture().whenComplete((r, f) -> trace.add("<" + name));
    }
  }

  /** What a durable handler throws to wait. */
  static final class Sleeping extends ExecutionSuspended {
    private static final long serialVersionUID = 1L;

    Sleeping() {
      super("sleeping");
    }
  }

  private RetryPolicy.Builder retry() {
    return RetryPolicy.builder().maxAttempts(3).backoff(Backoff.fixed(Duration.ofSeconds(1)));
  }

  private CircuitBreaker breaker(int consecutiveFailures) {
    return CircuitBreaker.builder()
        .config(
            CircuitBreakerConfig.builder()
                .consecutiveFailures(consecutiveFailures)
                .openDelay(Duration.ofMinutes(1))
                .build())
        .timeSource(time)
        .build();
  }

  /** A throttle that counts failures but never slows down, so no call waits on the manual clock. */
  private Throttle throttle() {
    return Throttle.create(
        ThrottleConfig.builder().maxConcurrency(4).initialRate(0).failureThreshold(1_000).build(),
        time);
  }

  @Test
  void theFirstPolicyIsTheOutermost() {
    String result =
        Sluice.with(new Tracing("a"), new Tracing("b")).get(() -> trace.add("call") ? "ok" : "");

    assertThat(result).isEqualTo("ok");
    assertThat(trace).containsExactly("a>", "b>", "call", "<b", "<a");
  }

  @Test
  void theFirstPolicyIsTheOutermostAsynchronouslyToo() {
    CompletableFuture<String> result =
        Sluice.with(new Tracing("a"), new Tracing("b"))
            .getAsync(() -> CompletableFuture.completedFuture(trace.add("call") ? "ok" : ""));

    assertThat(result).isCompletedWithValue("ok");
    assertThat(trace).containsExactly("a>", "b>", "call", "<b", "<a");
  }

  @Test
  void anEmptyChainRunsTheCallAsItIs() {
    assertThat(Sluice.with().get(() -> 42)).isEqualTo(42);
    assertThat(Sluice.with().policies()).isEmpty();
  }

  @Test
  void aNullPolicyIsRefusedWithItsPosition() {
    assertThatThrownBy(() -> Sluice.with(new Tracing("a"), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("policy 1");
  }

  @Test
  void uncheckedFailuresComeOutAsTheyAreAndCheckedOnesWrappedOnce() {
    PolicyChain chain = Sluice.with(breaker(100), throttle());
    UncheckedIOException unchecked = new UncheckedIOException(new IOException("a"));
    IOException checked = new IOException("b");
    AssertionError error = new AssertionError("c");

    assertThatThrownBy(
            () ->
                chain.get(
                    () -> {
                      throw unchecked;
                    }))
        .isSameAs(unchecked);
    assertThatThrownBy(
            () ->
                chain.run(
                    () -> {
                      throw error;
                    }))
        .isSameAs(error);
    assertThatThrownBy(
            () ->
                chain.get(
                    () -> {
                      throw checked;
                    }))
        .isExactlyInstanceOf(CallFailedException.class)
        .isInstanceOf(SluiceException.class)
        .hasCause(checked)
        .hasMessageContaining("java.io.IOException: b");
  }

  @Test
  void anInterruptedCallIsWrappedAndTheInterruptFlagSetAgain() {
    try {
      assertThatThrownBy(
              () ->
                  Sluice.with(throttle())
                      .run(
                          () -> {
                            throw new InterruptedException();
                          }))
          .isInstanceOf(CallFailedException.class)
          .hasCauseInstanceOf(InterruptedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void aPolicysRefusalComesOutAsItIsWithoutTouchingTheInnerPolicies() {
    CircuitBreaker breaker = breaker(1);
    breaker.trip();
    Throttle throttle = throttle();
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(() -> Sluice.with(breaker, throttle).get(calls::incrementAndGet))
        .isInstanceOf(CircuitOpenException.class);
    assertThat(calls).hasValue(0);
    assertThat(throttle.snapshot().inFlight()).isZero();
    assertThat(throttle.snapshot().failuresInWindow()).isZero();
  }

  @Test
  void retryOutsideTheBreakerAsksItAgainForEveryAttempt() {
    CircuitBreaker breaker = breaker(1);
    List<RetryAttempted> events = new CopyOnWriteArrayList<>();
    RetryPolicy retry =
        retry()
            .backoff(Backoff.fixed(Duration.ZERO))
            .timeSource(time)
            .listener(
                event -> {
                  if (event instanceof RetryAttempted attempt && !attempt.succeeded()) {
                    events.add(attempt);
                  }
                })
            .build();
    AtomicInteger calls = new AtomicInteger();
    IOException down = new IOException("down");

    assertThatThrownBy(
            () ->
                Sluice.with(retry, breaker)
                    .get(
                        () -> {
                          calls.incrementAndGet();
                          throw down;
                        }))
        .isInstanceOf(CircuitOpenException.class); // attempt 3's failure: the open breaker

    assertThat(calls).hasValue(1); // attempt 1 opened the breaker; 2 and 3 were refused by it
    assertThat(events).hasSize(3);
    assertThat(events.get(0).failure()).isSameAs(down);
    assertThat(events.get(1).failure()).isInstanceOf(CircuitOpenException.class);
    assertThat(breaker.snapshot().counts().rejected()).isEqualTo(2);
  }

  @Test
  void aThrottleInsideARetryHoldsNoPermitAcrossTheBackOff() throws Exception {
    Throttle throttle = throttle();
    RetryPolicy retry = retry().timeSource(time).build();
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<String> result =
        CompletableFuture.supplyAsync(
            () ->
                Sluice.with(retry, throttle)
                    .get(
                        () -> {
                          if (calls.incrementAndGet() == 1) {
                            throw new IOException("once");
                          }
                          return "ok";
                        }));

    await().until(() -> time.waiterCount() == 1); // the retry's back-off
    assertThat(throttle.snapshot().inFlight()).isZero();
    assertThat(throttle.snapshot().failuresInWindow()).isEqualTo(1);
    time.advance(Duration.ofSeconds(1));

    assertThat(result.get()).isEqualTo("ok");
    assertThat(throttle.snapshot().completedTasks()).isEqualTo(1);
  }

  @Test
  void asyncRetriesThroughBreakerAndThrottleFailWithTheCallsOwnException() {
    RetryPolicy retry = retry().maxAttempts(2).timeSource(time).build();
    CircuitBreaker breaker = breaker(100);
    Throttle throttle = throttle();
    IOException down = new IOException("down");
    AtomicInteger calls = new AtomicInteger();

    CompletableFuture<String> result =
        Sluice.with(retry, breaker, throttle)
            .getAsync(
                () -> {
                  calls.incrementAndGet();
                  return CompletableFuture.failedFuture(down);
                });
    await().until(() -> calls.get() == 1 && time.pendingDelays() == 1);
    time.advance(Duration.ofSeconds(1));
    await().until(result::isDone);

    assertThat(calls).hasValue(2);
    assertThat(result.handle((r, f) -> f).join()).isSameAs(down);
    assertThat(breaker.snapshot().counts().failures()).isEqualTo(2);
    assertThat(throttle.snapshot().inFlight()).isZero();
  }

  @Test
  void aThrottlesOwnAsyncFailureIsNotWrappedInACompletionException() {
    IOException down = new IOException("down");
    CompletableFuture<Object> result =
        throttle().callAsync(() -> CompletableFuture.failedFuture(new CompletionException(down)));

    await().until(result::isDone);
    assertThat(result.handle((r, f) -> f).join()).isSameAs(down);
  }

  @Test
  void aSuspensionIsNoOutcomeToAnyPolicyAndPassesThroughUnchanged() {
    List<RetryAttempted> events = new CopyOnWriteArrayList<>();
    RetryPolicy retry =
        retry()
            .retryIf(t -> true) // even a policy that retries everything
            .timeSource(time)
            .listener(
                event -> {
                  if (event instanceof RetryAttempted attempt && attempt.gaveUp()) {
                    events.add(attempt);
                  }
                })
            .build();
    CircuitBreaker breaker = breaker(1);
    Throttle throttle = throttle();
    Sleeping sleeping = new Sleeping();
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                Sluice.with(retry, breaker, throttle)
                    .run(
                        () -> {
                          calls.incrementAndGet();
                          throw sleeping;
                        }))
        .isSameAs(sleeping);

    assertThat(calls).hasValue(1);
    assertThat(events).isEmpty();
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(breaker.snapshot().counts().ignored()).isEqualTo(1);
    assertThat(throttle.snapshot().failuresInWindow()).isZero();
    assertThat(throttle.snapshot().completedTasks()).isZero();
    assertThat(throttle.state()).isEqualTo(ThrottleState.RUNNING);
  }

  @Test
  void aSuspensionIsNoOutcomeAsynchronouslyEither() {
    RetryPolicy retry = retry().retryIf(t -> true).timeSource(time).build();
    CircuitBreaker breaker = breaker(1);
    Throttle throttle = throttle();
    Sleeping sleeping = new Sleeping();
    AtomicInteger calls = new AtomicInteger();

    CompletableFuture<Object> result =
        Sluice.with(retry, breaker, throttle)
            .getAsync(
                () -> {
                  calls.incrementAndGet();
                  return CompletableFuture.failedFuture(sleeping);
                });
    await().until(result::isDone);

    assertThat(result.handle((r, f) -> f).join()).isSameAs(sleeping);
    assertThat(calls).hasValue(1);
    assertThat(time.pendingDelays()).isZero();
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(throttle.snapshot().failuresInWindow()).isZero();
  }

  @Test
  void aThrottleClosesWithTryWithResources() {
    Throttle kept;
    try (Throttle throttle = throttle()) {
      kept = throttle;
      assertThat(Sluice.with(throttle).get(() -> "in")).isEqualTo("in");
    }
    assertThat(kept.state()).isEqualTo(ThrottleState.CLOSED);
  }

  @Test
  void aChainIsAPolicyAndNestsInAnother() {
    PolicyChain inner = Sluice.with(new Tracing("b"), new Tracing("c"));
    Sluice.with(new Tracing("a"), inner).run(() -> trace.add("call"));

    assertThat(trace).containsExactly("a>", "b>", "c>", "call", "<c", "<b", "<a");
  }

  @Test
  void cancellingTheChainsFutureStopsTheRetriesInside() {
    RetryPolicy retry = retry().maxAttempts(5).timeSource(time).build();
    AtomicInteger calls = new AtomicInteger();

    CompletableFuture<Object> result =
        Sluice.with(retry, breaker(100), throttle())
            .getAsync(
                () -> {
                  calls.incrementAndGet();
                  return CompletableFuture.failedFuture(new IOException("down"));
                });
    await().until(() -> calls.get() == 1 && time.pendingDelays() == 1);
    result.cancel(false);
    time.advance(Duration.ofSeconds(10));

    assertThat(calls).hasValue(1);
    assertThat(result).isCancelled();
  }
}
