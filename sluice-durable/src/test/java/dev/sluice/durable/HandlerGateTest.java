package dev.sluice.durable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.throttle.Throttle;
import dev.sluice.throttle.ThrottleConfig;
import dev.sluice.throttle.ThrottleSnapshot;
import dev.sluice.throttle.ThrottleState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HandlerGateTest extends FixtureTest {

  /** A stand-in for a throttle: at most two calls at once. */
  static final class TwoAtATime {
    final Semaphore permits = new Semaphore(2);
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger mostInside = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    <T> T call(Callable<T> work) throws Exception {
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
  }

  @Test
  void everyHandlerRunPassesThroughTheGateWhichBoundsHowManyRunAtOnce() {
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
    f.worker(WorkerConfig.builder().concurrency(16).gate(gate::call).shutdownGrace(Duration.ZERO));

    List<ExecutionId> ids = f.durable.map(slow, IntStream.range(0, 40).boxed().toList());
    for (int i = 0; i < ids.size(); i++) {
      assertThat(f.durable.waitFor(ids.get(i), Integer.class, Duration.ofSeconds(10)))
          .isEqualTo(i + 1);
    }
    assertThat(gate.calls).hasValue(40);
    assertThat(gate.mostInside.get()).isBetween(1, 2);
  }

  @Test
  void suspensionPassesThroughTheGate() {
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
    f.worker(WorkerConfig.builder().gate(gate::call).shutdownGrace(Duration.ZERO));
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
  void aThrottleGateCountsASuspensionAsNeitherSuccessNorFailure() {
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
    f.worker(
        WorkerConfig.builder().gate(HandlerGate.throttled(throttle)).shutdownGrace(Duration.ZERO));
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
}
