package dev.sluice.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.durable.store.ExecutionFilter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StepsAndSignalsTest extends FixtureTest {
  final AtomicInteger runs = new AtomicInteger();
  final AtomicInteger effects = new AtomicInteger();

  @Test
  void durableSleepSuspendsAndTheRunAfterItReplaysRecordedStepsInsteadOfRepeatingThem() {
    Task<String, String> task =
        f.durable.register(
            Task.of(
                "sleepy",
                String.class,
                String.class,
                (ctx, in) -> {
                  runs.incrementAndGet();
                  int before = ctx.step("before", Integer.class, effects::incrementAndGet);
                  ctx.sleep(Duration.ofHours(1));
                  int after = ctx.step("after", Integer.class, effects::incrementAndGet);
                  return before + "," + after;
                }));
    Worker worker = f.worker();
    ExecutionId id = f.durable.dispatch(task, "x");

    await().until(() -> runs.get() == 1 && worker.inFlight() == 0);
    assertThat(f.durable.stateOf(id)).isEqualTo(ExecutionState.PENDING);
    assertThat(f.durable.find(id).scheduledFor()).isEqualTo(f.now() + 3_600_000);
    f.time.advance(Duration.ofMinutes(59));
    assertThat(f.probeClaimAll()).isEmpty();

    f.time.advance(Duration.ofMinutes(1));
    f.tickUntilEnded(id);
    assertThat(f.durable.waitFor(id, String.class, Duration.ZERO)).isEqualTo("1,2");
    assertThat(runs).hasValue(2);
    assertThat(effects).hasValue(2);
    assertThat(f.durable.find(id).attempt()).as("waking is not a retry").isEqualTo(1);
  }

  @Test
  void signalSentBeforeTheWaitIsBufferedAndEachSignalIsConsumedOnce() {
    Task<String, String> task =
        f.durable.register(
            Task.of(
                "approve",
                String.class,
                String.class,
                (ctx, in) -> {
                  String first = ctx.awaitSignal("approval", String.class, Duration.ofHours(1));
                  String second = ctx.awaitSignal("approval", String.class, Duration.ofHours(1));
                  return first + "+" + second;
                }));
    ExecutionId id = f.durable.dispatch(task, "x");
    f.durable.send(id, "approval", "alice");
    f.worker();
    await()
        .until(
            () ->
                f.durable.find(id).state() == ExecutionState.PENDING
                    && f.durable.find(id).fence() == 1);

    f.durable.send(id, "approval", "bob");

    assertThat(f.durable.waitFor(id, String.class, Duration.ofSeconds(5))).isEqualTo("alice+bob");
  }

  @Test
  void signalWaitThatTimesOutThrowsExpiryInTheHandlerAgainOnEveryReplay() {
    Task<String, String> task =
        f.durable.register(
            Task.of(
                "await-timeout",
                String.class,
                String.class,
                (ctx, in) -> {
                  runs.incrementAndGet();
                  try {
                    return ctx.awaitSignal("go", String.class, Duration.ofSeconds(10));
                  } catch (ExpiryException e) {
                    ctx.sleep(Duration.ofSeconds(5));
                    return "gave up: " + (e.getMessage().contains("\"go\"") ? "go" : "?");
                  }
                }));
    ExecutionId id = f.durable.dispatch(task, "x");
    f.worker();
    await().until(() -> runs.get() == 1 && f.durable.find(id).state() == ExecutionState.PENDING);
    f.time.advance(Duration.ofSeconds(10));
    f.tickUntil(() -> runs.get() == 2 && f.durable.find(id).state() == ExecutionState.PENDING);
    f.durable.send(id, "go", "too late");
    f.tickUntilEnded(id);

    assertThat(f.durable.waitFor(id, String.class, Duration.ZERO)).isEqualTo("gave up: go");
    assertThat(runs).hasValue(3);
  }

  @Test
  void childCallHasADeterministicIdSoAReRunFindsTheSameChildInsteadOfStartingAnother() {
    AtomicInteger childRuns = new AtomicInteger();
    // the children finish only once the parent has suspended, so the parent is surely run again
    CountDownLatch parentSuspended = new CountDownLatch(1);
    Task<Integer, Integer> square =
        f.durable.register(
            Task.of(
                "square",
                Integer.class,
                Integer.class,
                (ctx, n) -> {
                  childRuns.incrementAndGet();
                  assertThat(parentSuspended.await(10, TimeUnit.SECONDS)).isTrue();
                  return n * n;
                }));
    Task<Integer, Integer> parent =
        f.durable.register(
            Task.of(
                "sum-of-squares",
                Integer.class,
                Integer.class,
                (ctx, n) -> {
                  runs.incrementAndGet();
                  return ctx.call(square, n) + ctx.call(square, n + 1);
                }));
    f.worker();
    ExecutionId id = f.durable.dispatch(parent, 3);
    await().until(() -> runs.get() == 1 && f.durable.stateOf(id) == ExecutionState.PENDING);
    parentSuspended.countDown();

    assertThat(f.durable.waitFor(id, Integer.class, Duration.ofSeconds(5))).isEqualTo(9 + 16);
    assertThat(childRuns).hasValue(2);
    assertThat(f.durable.find(id.child(1)).parentId()).isEqualTo(id);
    assertThat(f.durable.find(id.child(2)).inputJson()).isEqualTo("4");
    assertThat(f.store.list(new ExecutionFilter(null, null, "square", 10, 0))).hasSize(2);
    assertThat(runs.get()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void handlerThatChangesItsCallsBetweenRunsFailsInsteadOfReturningAnotherStepsResult() {
    Task<String, String> task =
        f.durable.register(
            Task.of(
                "shape-shifter",
                String.class,
                String.class,
                (ctx, in) -> {
                  String name = runs.incrementAndGet() == 1 ? "a" : "b";
                  ctx.step(name, String.class, () -> name);
                  ctx.sleep(Duration.ofSeconds(1));
                  return name;
                }));
    ExecutionId id = f.durable.dispatch(task, "x");
    f.worker();
    await().until(() -> runs.get() == 1 && f.durable.find(id).state() == ExecutionState.PENDING);
    f.tickUntilEnded(id);

    assertThatThrownBy(() -> f.durable.waitFor(id, String.class, Duration.ZERO))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("was STEP \"a\" when recorded and is STEP \"b\" now");
  }

  @Test
  void runningHandlerSeesCancellationThroughItsContextAndItsLateResultDoesNotUndoIt() {
    Task<String, String> task =
        f.durable.register(
            Task.of(
                "long-job",
                String.class,
                String.class,
                (ctx, in) -> {
                  runs.incrementAndGet();
                  await().atMost(Duration.ofSeconds(10)).until(ctx::isCancelled);
                  return "finished anyway";
                }));
    Worker worker = f.worker();
    ExecutionId id = f.durable.dispatch(task, "x");
    await().until(() -> runs.get() == 1);

    assertThat(f.durable.cancel(id)).isTrue();
    f.time.advance(worker.config().heartbeatInterval());

    await().until(() -> worker.inFlight() == 0);
    assertThat(worker.rejectedWrites()).isGreaterThanOrEqualTo(2); // heartbeat + completion
    assertThat(f.durable.stateOf(id)).isEqualTo(ExecutionState.CANCELLED);
    assertThatThrownBy(() -> f.durable.waitFor(id, String.class, Duration.ZERO))
        .isInstanceOf(CancelledException.class);
  }

  @Test
  void handlerThatThrowsAnErrorFailsItsExecutionInsteadOfCrashingEveryWorkerThatClaimsIt() {
    Task<String, String> task =
        f.durable.register(
            Task.of(
                "asserts",
                String.class,
                String.class,
                (ctx, in) -> {
                  runs.incrementAndGet();
                  throw new AssertionError("invariant broken");
                }));
    Worker worker = f.worker();
    ExecutionId id = f.durable.dispatch(task, "x");

    assertThatThrownBy(() -> f.durable.waitFor(id, String.class, Duration.ofSeconds(5)))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("java.lang.AssertionError: invariant broken");
    assertThat(f.durable.operator().deadLetterCount()).isEqualTo(1);
    assertThat(runs).hasValue(1);
    assertThat(worker.rejectedWrites()).isZero();
  }

  @Test
  void deadLetterCanBeReplayedAndDiscarded() {
    Task<String, String> task =
        f.durable.register(
            Task.of(
                "fails-once",
                String.class,
                String.class,
                (ctx, in) -> {
                  if (runs.incrementAndGet() == 1) {
                    throw new IllegalStateException("boom");
                  }
                  return "second time lucky";
                }));
    f.worker();
    ExecutionId id = f.durable.dispatch(task, "x");
    assertThatThrownBy(() -> f.durable.waitFor(id, String.class, Duration.ofSeconds(5)))
        .isInstanceOf(TaskFailedException.class);
    assertThat(f.durable.operator().deadLetterCount()).isEqualTo(1);

    assertThat(f.durable.operator().replay(id)).isTrue();
    assertThat(f.durable.waitFor(id, String.class, Duration.ofSeconds(5)))
        .isEqualTo("second time lucky");
    assertThat(f.durable.operator().deadLetterCount()).isZero();
    assertThat(f.durable.operator().replay(id)).isFalse();
    assertThat(f.durable.operator().discard(id)).isFalse();
  }
}
