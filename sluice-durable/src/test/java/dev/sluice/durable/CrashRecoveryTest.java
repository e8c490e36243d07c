package dev.sluice.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.durable.store.ExecutionFilter;
import dev.sluice.durable.store.ExecutionStore;
import dev.sluice.durable.store.SqliteExecutionStore;
import dev.sluice.durable.store.StepStatus;
import dev.sluice.time.ManualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two "processes" (two engines, each with its own store connection to one SQLite file) share a
 * manual clock. The first one's handler freezes mid-run and its heartbeats stop reaching the
 * database; its lease expires; the second takes over.
 */
@Timeout(60)
class CrashRecoveryTest {
  private static final Duration LEASE = Duration.ofSeconds(10);

  @TempDir Path dir;
  final ManualTimeSource time = new ManualTimeSource();
  final AtomicInteger handlerRuns = new AtomicInteger();
  final AtomicInteger chargeCard = new AtomicInteger();
  final AtomicInteger sendEmail = new AtomicInteger();
  final AtomicInteger shipParcel = new AtomicInteger();
  final CountDownLatch frozen = new CountDownLatch(1);
  final CountDownLatch thaw = new CountDownLatch(1);

  HeartbeatSwallowingStore crashingStore;
  ExecutionStore survivingStore;
  Worker crashing;
  Worker surviving;

  @AfterEach
  void close() {
    thaw.countDown();
    if (surviving != null) {
      surviving.close();
    }
    if (crashing != null) {
      crashing.close();
    }
    crashingStore.close();
    if (survivingStore != null) {
      survivingStore.close();
    }
  }

  private Task<String, String> order(boolean lateStepOnZombie) {
    return Task.of(
        "order",
        String.class,
        String.class,
        (ctx, in) -> {
          int run = handlerRuns.incrementAndGet();
          ctx.step("charge", Integer.class, chargeCard::incrementAndGet);
          ctx.step("email", Integer.class, sendEmail::incrementAndGet);
          if (run == 1) {
            frozen.countDown();
            thaw.await();
            if (lateStepOnZombie) {
              ctx.step("ship", Integer.class, shipParcel::incrementAndGet);
            }
            return "zombie's result";
          }
          ctx.step("ship", Integer.class, shipParcel::incrementAndGet);
          return "shipped " + in;
        });
  }

  private Durable engine(ExecutionStore store, Task<String, String> task) {
    Durable durable = Durable.builder().store(store).timeSource(time).build();
    durable.register(task);
    return durable;
  }

  private WorkerConfig config(String id) {
    return WorkerConfig.builder()
        .workerId(id)
        .concurrency(1)
        .lease(LEASE)
        .shutdownGrace(Duration.ZERO)
        .build();
  }

  @Test
  void
      frozenHandlersLeaseExpiresAnotherWorkerResumesWithoutRepeatingStepsAndTheZombiesCompletionIsRefused() {
    Path file = dir.resolve("shared.db");
    crashingStore = new HeartbeatSwallowingStore(SqliteExecutionStore.open(file));
    Durable first = engine(crashingStore, order(false));
    crashing = first.worker(config("first")).start();
    ExecutionId id = first.dispatch(taskOf(first), "#7");
    await().until(() -> frozen.getCount() == 0);
    assertThat(chargeCard).hasValue(1);
    assertThat(sendEmail).hasValue(1);

    time.advance(LEASE.plusSeconds(1));
    survivingStore = SqliteExecutionStore.open(file);
    Durable second = engine(survivingStore, order(false));
    surviving = second.worker(config("second")).start();

    assertThat(second.waitFor(id, String.class, Duration.ofSeconds(5))).isEqualTo("shipped #7");
    assertThat(handlerRuns).hasValue(2);
    assertThat(chargeCard).as("charged once").hasValue(1);
    assertThat(sendEmail).as("emailed once").hasValue(1);
    assertThat(shipParcel).as("shipped once").hasValue(1);
    assertThat(second.find(id).fence()).isEqualTo(2);

    thaw.countDown();
    await().until(() -> crashing.rejectedWrites() == 1);
    assertThat(second.waitFor(id, String.class, Duration.ZERO)).isEqualTo("shipped #7");
    assertThat(second.stateOf(id)).isEqualTo(ExecutionState.COMPLETED);
  }

  @Test
  void zombiesLateCheckpointIsRefusedAndStopsItsHandler() {
    Path file = dir.resolve("shared.db");
    crashingStore = new HeartbeatSwallowingStore(SqliteExecutionStore.open(file));
    Durable first = engine(crashingStore, order(true));
    crashing = first.worker(config("first")).start();
    ExecutionId id = first.dispatch(taskOf(first), "#8");
    await().until(() -> frozen.getCount() == 0);

    time.advance(LEASE.plusSeconds(1));
    survivingStore = SqliteExecutionStore.open(file);
    Durable second = engine(survivingStore, order(true));
    surviving = second.worker(config("second")).start();
    assertThat(second.waitFor(id, String.class, Duration.ofSeconds(5))).isEqualTo("shipped #8");

    thaw.countDown();
    // the zombie ran its "ship" body (the effect cannot be unmade) but its checkpoint, and the
    // failure it then reports, are both refused: the recorded outcome stays the survivor's
    await().until(() -> crashing.rejectedWrites() == 2);
    assertThat(second.stateOf(id)).isEqualTo(ExecutionState.COMPLETED);
    assertThat(survivingStore.steps(id))
        .extracting(s -> s.status())
        .containsExactly(StepStatus.DONE, StepStatus.DONE, StepStatus.DONE);
    assertThat(survivingStore.steps(id).get(2).outcomeJson()).isEqualTo("1");
    assertThat(survivingStore.list(ExecutionFilter.all(10))).hasSize(1);
  }

  private static Task<String, String> taskOf(Durable durable) {
    @SuppressWarnings("unchecked") // registered above with these types
    Task<String, String> task = (Task<String, String>) durable.task("order");
    return task;
  }
}
