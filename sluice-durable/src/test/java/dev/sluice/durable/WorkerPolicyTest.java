package dev.sluice.durable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Policy;
import dev.sluice.Sluice;
import dev.sluice.breaker.CircuitBreaker;
import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.breaker.CircuitState;
import dev.sluice.event.RetryAttempted;
import dev.sluice.retry.RetryPolicy;
import dev.sluice.throttle.Throttle;
import dev.sluice.throttle.ThrottleConfig;
import dev.sluice.throttle.ThrottleSnapshot;
import dev.sluice.throttle.ThrottleState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WorkerPolicyTest extends FixtureTest {

  /** A stand-in for a throttle: at most two calls at once. */
  static final class TwoAtATime implements Policy {
    final Semaphore permits = new Semaphore(2);
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger mostInside = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public <T> T call(Callable<T> work) throws Exception {
      permits.acquire();
      try {
        calls.incrementAndGet();
        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        return work.call();
      } finally {
        inside.decrementAndGet();
        permits.release();
      }
    }

    @Override
    public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> call) {
      throw new UnsupportedOperationException("a worker runs handlers synchronously");
    }
  }

  @Test
  void everyHandlerRunPassesThroughThePolicyWhichBoundsHowManyRunAtOnce() {
    TwoAtATime gate = new TwoAtATime();
    Task<Integer, Integer> slow =
        f.durable.register(
            Task.of(
                "gated",
                Integer.class,
                Integer.class,
                (ctx, n) -> {
                  Thread.yield();
                  return ctx.step("work", Integer.class, () -> n + 1);
                }));
    f.worker(WorkerConfig.builder().concurrency(16).policy(gate).shutdownGrace(Duration.ZERO));

    List<ExecutionId> ids = f.durable.map(slow, IntStream.range(0, 40).boxed().toList());
    for (int i = 0; i < ids.size(); i++) {
      assertThat(f.durable.waitFor(ids.get(i), Integer.class, Duration.ofSeconds(10)))
          .isEqualTo(i + 1);
    }
    assertThat(gate.calls).hasValue(40);
    assertThat(gate.mostInside.get()).isBetween(1, 2);
  }

  @Test
  void suspensionPassesThroughThePolicy() {
    TwoAtATime gate = new TwoAtATime();
    Task<String, String> sleeper =
        f.durable.register(
            Task.of(
                "gated-sleeper",
                String.class,
                String.class,
                (ctx, in) -> {
                  ctx.sleep(Duration.ofMinutes(5));
                  return "awake";
                }));
    f.worker(WorkerConfig.builder().policy(gate).shutdownGrace(Duration.ZERO));
    ExecutionId id = f.durable.dispatch(sleeper, "x");
    f.tickUntil(
        () ->
            gate.calls.get() == 1
                && f.durable.find(id).fence() == 1
                && f.durable.stateOf(id) == ExecutionState.PENDING);

    f.time.advance(Duration.ofMinutes(5));
    f.tickUntilEnded(id);

    assertThat(f.durable.waitFor(id, String.class, Duration.ZERO)).isEqualTo("awake");
    assertThat(gate.calls).hasValue(2);
  }

  @Test
  void aThrottleCountsASuspensionAsNeitherSuccessNorFailure() {
    Throttle throttle =
        Throttle.create(
            ThrottleConfig.builder()
                .maxConcurrency(2)
                .initialRate(0)
                .failureThreshold(1)
                .circuitBreaker(CircuitBreakerConfig.builder().consecutiveFailures(1).build())
                .build(),
            f.time);
    Task<String, String> sleeper =
        f.durable.register(
            Task.of(
                "throttled-sleeper",
                String.class,
                String.class,
                (ctx, in) -> {
                  ctx.sleep(Duration.ofMinutes(5));
                  return "awake";
                }));
    f.worker(WorkerConfig.builder().policy(throttle).shutdownGrace(Duration.ZERO));
    ExecutionId id = f.durable.dispatch(sleeper, "x");
    f.tickUntil(
        () ->
            f.durable.find(id).fence() == 1
                && f.durable.stateOf(id) == ExecutionState.PENDING
                && throttle.snapshot().inFlight() == 0);

    ThrottleSnapshot suspended = throttle.snapshot();
    assertThat(suspended.failuresInWindow()).isZero();
    assertThat(suspended.completedTasks()).isZero();
    assertThat(suspended.state()).isEqualTo(ThrottleState.RUNNING);

    f.time.advance(Duration.ofMinutes(5));
    f.tickUntilEnded(id);

    assertThat(f.durable.waitFor(id, String.class, Duration.ZERO)).isEqualTo("awake");
    assertThat(throttle.snapshot().completedTasks()).isEqualTo(1);
    assertThat(throttle.snapshot().failuresInWindow()).isZero();
  }

  @Test
  void aSuspendingHandlerComposesWithRetryBreakerAndThrottleWithoutAnOutcome() {
    List<RetryAttempted> attempts = new CopyOnWriteArrayList<>();
    RetryPolicy retry =
        RetryPolicy.builder()
            .maxAttempts(3)
            .retryIf(t -> true)
            .timeSource(f.time)
            .listener(
                event -> {
                  if (event instanceof RetryAttempted attempt && !attempt.succeeded()) {
                    attempts.add(attempt);
                  }
                })
            .build();
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .config(CircuitBreakerConfig.builder().consecutiveFailures(1).build())
            .timeSource(f.time)
            .build();
    Throttle throttle =
        Throttle.create(
            ThrottleConfig.builder().maxConcurrency(2).initialRate(0).failureThreshold(1).build(),
            f.time);
    AtomicInteger runs = new AtomicInteger();
    Task<String, String> sleeper =
        f.durable.register(
            Task.of(
                "composed-sleeper",
                String.class,
                String.class,
                (ctx, in) -> {
                  runs.incrementAndGet();
                  ctx.sleep(Duration.ofMinutes(5));
                  return "awake";
                }));
    f.worker(
        WorkerConfig.builder()
            .policy(Sluice.with(retry, breaker, throttle))
            .shutdownGrace(Duration.ZERO));
    ExecutionId id = f.durable.dispatch(sleeper, "x");
    f.tickUntil(
        () ->
            f.durable.find(id).fence() == 1
                && f.durable.stateOf(id) == ExecutionState.PENDING
                && throttle.snapshot().inFlight() == 0);

    assertThat(runs).hasValue(1); // not retried in place
    assertThat(attempts).isEmpty(); // and not an attempt
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(breaker.snapshot().counts().failures()).isZero();
    assertThat(breaker.snapshot().counts().ignored()).isEqualTo(1);
    assertThat(throttle.snapshot().failuresInWindow()).isZero();

    f.time.advance(Duration.ofMinutes(5));
    f.tickUntilEnded(id);

    assertThat(f.durable.waitFor(id, String.class, Duration.ZERO)).isEqualTo("awake");
    assertThat(runs).hasValue(2);
    assertThat(attempts).isEmpty();
    assertThat(breaker.snapshot().counts().successes()).isEqualTo(1);
    assertThat(throttle.snapshot().completedTasks()).isEqualTo(1);
  }
}
