package dev.sluice.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.ConfigException;
import dev.sluice.durable.store.ExecutionRecord;
import dev.sluice.retry.Backoff;
import dev.sluice.retry.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One regression test per problem the Stent plan (spec 003) lists; none may come back. */
class StentRegressionTest extends FixtureTest {

  // P0.1 retry delay scheduling semantics

  @Test
  void failedAttemptIsNotClaimableBeforeItsRetryDelayAndIsClaimableAfter() {
    AtomicInteger invocations = new AtomicInteger();
    Task<String, String> flaky =
        f.durable.register(
            Task.of(
                "flaky",
                String.class,
                String.class,
                (ctx, in) -> {
                  if (invocations.incrementAndGet() == 1) {
                    throw new IllegalStateException("first attempt fails");
                  }
                  return "ok on attempt " + ctx.attempt();
                }));
    RetryPolicy policy =
        RetryPolicy.builder().maxAttempts(3).backoff(Backoff.fixed(Duration.ofSeconds(10))).build();
    ExecutionId id =
        f.durable.dispatch(flaky, "x", DispatchOptions.builder().retry(policy.schedule()).build());
    long failedAt = f.now();
    f.worker();

    await().until(() -> f.durable.find(id).attempt() == 2);
    ExecutionRecord retrying = f.durable.find(id);
    assertThat(retrying.state()).isEqualTo(ExecutionState.PENDING);
    assertThat(retrying.scheduledFor()).isEqualTo(failedAt + 10_000);
    assertThat(retrying.workerId()).isNull();
    assertThat(retrying.leaseExpiresAt()).isNull();
    assertThat(retrying.startedAt()).isNull();
    assertThat(retrying.error()).contains("first attempt fails");

    f.time.advance(Duration.ofMillis(9_999));
    assertThat(f.probeClaim("flaky")).isEmpty();
    assertThat(invocations).hasValue(1);

    f.time.advance(Duration.ofMillis(1));
    f.tickUntilEnded(id);
    assertThat(f.durable.waitFor(id, String.class, Duration.ZERO)).isEqualTo("ok on attempt 2");
    assertThat(invocations).hasValue(2);
  }

  @Test
  void exhaustedAttemptsEndFailedWithADeadLetter() {
    Task<String, String> broken =
        f.durable.register(
            Task.of(
                "broken",
                String.class,
                String.class,
                (ctx, in) -> {
                  throw new IllegalArgumentException("bad input " + in);
                }));
    RetryPolicy policy =
        RetryPolicy.builder().maxAttempts(2).backoff(Backoff.fixed(Duration.ofSeconds(1))).build();
    ExecutionId id =
        f.durable.dispatch(broken, "q", DispatchOptions.builder().retry(policy.schedule()).build());
    f.worker();
    await().until(() -> f.durable.find(id).attempt() == 2);
    f.tickUntilEnded(id);

    assertThatThrownBy(() -> f.durable.waitFor(id, String.class, Duration.ZERO))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("bad input q");
    assertThat(f.durable.operator().deadLetterCount()).isEqualTo(1);
    assertThat(f.durable.operator().deadLetters(10, 0))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.executionId()).isEqualTo(id);
              assertThat(d.attempts()).isEqualTo(2);
            });
  }

  // P0.2 idempotency: falsy results are hits

  static List<Object> falsyResults() {
    return java.util.Arrays.asList(0, false, "", List.of(), Map.of(), null);
  }

  @ParameterizedTest
  @MethodSource("falsyResults")
  void idempotentDispatchReturnsAStoredFalsyResultWithoutRunningAgain(Object falsy) {
    AtomicInteger invocations = new AtomicInteger();
    Task<String, Object> task =
        f.durable.register(
            Task.of(
                "falsy",
                String.class,
                Object.class,
                (ctx, in) -> {
                  invocations.incrementAndGet();
                  return falsy;
                }));
    DispatchOptions once = DispatchOptions.builder().idempotencyKey("k-1").build();
    f.worker();
    ExecutionId first = f.durable.dispatch(task, "in", once);
    assertThat(f.durable.waitFor(first, Object.class, Duration.ofSeconds(5))).isEqualTo(falsy);

    ExecutionId second = f.durable.dispatch(task, "in", once);

    assertThat(second).isEqualTo(first);
    assertThat(f.durable.waitFor(second, Object.class, Duration.ZERO)).isEqualTo(falsy);
    assertThat(f.durable.resultOf(second, Object.class).get()).isEqualTo(falsy);
    assertThat(invocations).hasValue(1);
  }

  // P0.3 an expired wait throws, never returns a pending state

  @Test
  void waitThatTimesOutThrowsExpiryInsteadOfReturningThePendingState() {
    Task<String, String> task =
        f.durable.register(Task.of("never-run", String.class, String.class, (ctx, in) -> in));
    ExecutionId id = f.durable.dispatch(task, "x");
    Thread waiter =
        Thread.ofVirtual()
            .start(
                () ->
                    assertThatThrownBy(
                            () -> f.durable.waitFor(id, String.class, Duration.ofSeconds(3)))
                        .isInstanceOf(ExpiryException.class)
                        .hasMessageContaining("PENDING"));
    for (int i = 0; i < 10 && waiter.isAlive(); i++) {
      await().until(() -> f.time.waiterCount() >= 1 || !waiter.isAlive());
      f.time.advance(Duration.ofSeconds(1));
    }
    await().until(() -> !waiter.isAlive());
    assertThatThrownBy(() -> f.durable.waitFor(id, String.class, Duration.ZERO))
        .isInstanceOf(ExpiryException.class);
  }

  @Test
  void executionPastItsMaxDurationIsExpiredAndWaitingForItThrowsExpiry() {
    Task<String, String> task =
        f.durable.register(Task.of("slow-start", String.class, String.class, (ctx, in) -> in));
    ExecutionId id =
        f.durable.dispatch(
            task, "x", DispatchOptions.builder().delay("1m").maxDuration("30s").build());
    f.worker();
    f.time.advance(Duration.ofMinutes(1));

    f.tickUntil(() -> f.durable.stateOf(id) == ExecutionState.EXPIRED);
    assertThatThrownBy(() -> f.durable.waitFor(id, String.class, Duration.ZERO))
        .isInstanceOf(ExpiryException.class);
    assertThatThrownBy(() -> f.durable.resultOf(id, String.class).get())
        .isInstanceOf(ExpiryException.class);
  }

  // P0.4 cancelled is terminal in both APIs

  @Test
  void cancelledExecutionIsTerminalInWaitForAndResultOfAlike() {
    Task<String, String> task =
        f.durable.register(Task.of("cancel-me", String.class, String.class, (ctx, in) -> in));
    ExecutionId id = f.durable.dispatch(task, "x", DispatchOptions.builder().delay("1h").build());

    assertThat(f.durable.cancel(id)).isTrue();

    assertThat(f.durable.stateOf(id)).isEqualTo(ExecutionState.CANCELLED);
    Outcome<String> outcome = f.durable.resultOf(id, String.class);
    assertThat(outcome.isDone()).isTrue();
    assertThatThrownBy(outcome::get).isInstanceOf(CancelledException.class);
    assertThatThrownBy(() -> f.durable.waitFor(id, String.class, Duration.ofSeconds(1)))
        .isInstanceOf(CancelledException.class);
    assertThat(f.durable.cancel(id)).isFalse();
    f.time.advance(Duration.ofHours(2));
    assertThat(f.probeClaim("cancel-me")).isEmpty();
  }

  // P1.1 tags are honoured by claims

  @Test
  void workerTakesOnlyExecutionsWhoseTagsItHasAndUntaggedOnesGoToAnyWorker() {
    Task<String, String> whoRuns =
        f.durable.register(
            Task.of(
                "who", String.class, String.class, (ctx, in) -> Thread.currentThread().getName()));
    ExecutionId gpu =
        f.durable.dispatch(whoRuns, "gpu", DispatchOptions.builder().tags("gpu").build());
    ExecutionId gpuEu =
        f.durable.dispatch(whoRuns, "gpu+eu", DispatchOptions.builder().tags("gpu", "eu").build());
    ExecutionId untagged = f.durable.dispatch(whoRuns, "any");

    Worker cpu =
        f.worker(
            WorkerConfig.builder().workerId("cpu").tags("cpu", "eu").shutdownGrace(Duration.ZERO));
    assertThat(f.durable.waitFor(untagged, String.class, Duration.ofSeconds(5))).isNotNull();
    assertThat(f.durable.find(untagged).workerId()).isNull();
    assertThat(f.durable.stateOf(gpu)).isEqualTo(ExecutionState.PENDING);
    assertThat(f.durable.stateOf(gpuEu)).isEqualTo(ExecutionState.PENDING);
    cpu.close();

    f.worker(WorkerConfig.builder().workerId("gpu-only").tags("gpu").shutdownGrace(Duration.ZERO));
    f.durable.waitFor(gpu, String.class, Duration.ofSeconds(5));
    assertThat(f.probeClaimAll()).isEmpty();
    assertThat(f.durable.stateOf(gpuEu)).isEqualTo(ExecutionState.PENDING);

    f.worker(
        WorkerConfig.builder().workerId("gpu-eu").tags("eu", "gpu").shutdownGrace(Duration.ZERO));
    f.durable.waitFor(gpuEu, String.class, Duration.ofSeconds(5));
  }

  // P1.3 counts by query

  @Test
  void countsByStateAndDeadLettersComeFromTheDatabaseBeyondAnyListingLimit() {
    Task<Integer, Integer> task =
        f.durable.register(Task.of("count", Integer.class, Integer.class, (ctx, in) -> in));
    List<Integer> inputs = java.util.stream.IntStream.range(0, 10_050).boxed().toList();
    List<ExecutionId> ids = f.durable.map(task, inputs);
    f.durable.cancel(ids.get(0));
    f.durable.cancel(ids.get(1));

    Map<ExecutionState, Long> counts = f.durable.operator().counts();

    assertThat(counts.get(ExecutionState.PENDING)).isEqualTo(10_048);
    assertThat(counts.get(ExecutionState.CANCELLED)).isEqualTo(2);
    assertThat(counts.get(ExecutionState.COMPLETED)).isZero();
    assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(10_050);
    assertThat(f.durable.operator().deadLetterCount()).isZero();
  }

  // P1.4 strict duration parsing

  @Test
  void malformedDurationTextIsRejectedNotPartiallyParsed() {
    for (String bad : List.of("10sx", "1h30", "5 s", "", "-5s", "1m1h", "10", "abc", "1hh")) {
      assertThatThrownBy(() -> DispatchOptions.builder().delay(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              ConfigException.class,
              e -> {
                assertThat(e.key()).isEqualTo("dispatch.delay");
                assertThat(e.value()).isEqualTo(bad);
              });
      assertThatThrownBy(() -> WorkerConfig.builder().lease(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              ConfigException.class, e -> assertThat(e.key()).isEqualTo("worker.lease"));
    }
    assertThat(DispatchOptions.builder().delay("1h30m").build().delay())
        .isEqualTo(Duration.ofMinutes(90));
    assertThat(DispatchOptions.builder().maxDuration("2d8h").build().maxDuration())
        .isEqualTo(Duration.ofHours(56));
  }

  // P2.1 times are UTC whatever the local zone

  @Test
  void storedTimesAreUtcEpochMillisWhateverTheDefaultTimeZone() {
    TimeZone original = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati"));
      Task<String, String> task =
          f.durable.register(Task.of("utc", String.class, String.class, (ctx, in) -> in));
      ExecutionId id =
          f.durable.dispatch(task, "x", DispatchOptions.builder().delay("90s").build());

      ExecutionRecord stored = f.durable.find(id);
      Instant now = f.time.now();
      assertThat(stored.createdAt()).isEqualTo(now.toEpochMilli());
      assertThat(Instant.ofEpochMilli(stored.scheduledFor())).isEqualTo(now.plusSeconds(90));
      assertThat(now).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    } finally {
      TimeZone.setDefault(original);
    }
  }

  // P1.2 backend lifecycle: a store is opened, used and always closed

  @Test
  void closedStoreRefusesWorkWithAClearErrorAndClosingTwiceIsHarmless() {
    f.store.close();
    f.store.close();
    assertThatThrownBy(() -> f.store.countDeadLetters())
        .isInstanceOf(DurableException.class)
        .hasMessageContaining("closed");
  }
}
