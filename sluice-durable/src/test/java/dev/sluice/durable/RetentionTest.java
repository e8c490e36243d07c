package dev.sluice.durable;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetentionTest extends FixtureTest {

  @Test
  void workerPurgesEndedExecutionsOlderThanItsRetentionAndKeepsTheRest() {
    Task<Integer, Integer> task =
        f.durable.register(Task.of("kept-briefly", Integer.class, Integer.class, (ctx, n) -> n));
    List<ExecutionId> old = f.durable.map(task, IntStream.range(0, 1_200).boxed().toList());
    f.worker(
        WorkerConfig.builder()
            .workerId("janitor")
            .concurrency(64)
            .retention(Duration.ofDays(7))
            .shutdownGrace(Duration.ZERO));
    f.tickUntil(() -> f.durable.operator().counts().get(ExecutionState.COMPLETED) == 1_200);
    ExecutionId pending =
        f.durable.dispatch(task, -1, DispatchOptions.builder().delay("30d").build());

    f.time.advance(Duration.ofDays(7).plus(WorkerConfig.PURGE_INTERVAL));
    f.tickUntil(() -> f.durable.operator().counts().get(ExecutionState.COMPLETED) == 0);

    assertThat(f.durable.operator().counts().get(ExecutionState.PENDING)).isEqualTo(1);
    assertThat(f.durable.stateOf(pending)).isEqualTo(ExecutionState.PENDING);
    assertThat(f.store.find(old.get(0))).isEmpty();
  }

  @Test
  void purgeRunsInBatchesUntilNothingOldIsLeft() {
    Task<Integer, Integer> task =
        f.durable.register(Task.of("purged", Integer.class, Integer.class, (ctx, n) -> n));
    f.durable.map(task, IntStream.range(0, 250).boxed().toList());
    f.worker();
    f.tickUntil(() -> f.durable.operator().counts().get(ExecutionState.COMPLETED) == 250);
    f.time.advance(Duration.ofHours(2));

    assertThat(f.durable.operator().purgeOlderThan(Duration.ofHours(3), 100)).isZero();
    assertThat(f.durable.operator().purgeOlderThan(Duration.ofHours(1), 100)).isEqualTo(250);
    assertThat(f.durable.operator().counts().values().stream().mapToLong(Long::longValue).sum())
        .isZero();
  }
}
