package dev.sluice.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.durable.store.SqliteExecutionStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real time, real threads: two workers with their own store connections race on one file. */
@Timeout(300)
class TwoWorkersTenThousandTasksIT {
  @TempDir Path dir;

  @Test
  void tenThousandTasksEachRunToCompletionExactlyOnceAndTheCountsAddUp() {
    int tasks = 10_000;
    Map<Integer, AtomicInteger> invocations = new ConcurrentHashMap<>();
    Map<Integer, String> ranOn = new ConcurrentHashMap<>();
    TaskHandler<Integer, Integer> handler =
        (ctx, n) -> {
          invocations.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
          ranOn.put(n, Thread.currentThread().getName());
          return n * 2;
        };
    Path file = dir.resolve("shared.db");
    try (SqliteExecutionStore storeA = SqliteExecutionStore.open(file);
        SqliteExecutionStore storeB = SqliteExecutionStore.open(file)) {
      Durable a = Durable.builder().store(storeA).build();
      Durable b = Durable.builder().store(storeB).build();
      Task<Integer, Integer> doubleIt =
          a.register(Task.of("double", Integer.class, Integer.class, handler));
      b.register(Task.of("double", Integer.class, Integer.class, handler));
      WorkerConfig.Builder config =
          WorkerConfig.builder()
              .concurrency(32)
              .pollInterval(Duration.ofMillis(5), Duration.ofMillis(50));
      AtomicInteger done = new AtomicInteger();
      try (Worker wa = a.worker(config.workerId("a").build()).start();
          Worker wb = b.worker(config.workerId("b").build()).start()) {
        List<Integer> inputs = IntStream.range(0, tasks).boxed().toList();
        List<ExecutionId> ids = a.map(doubleIt, inputs);
        for (int i = 0; i < tasks; i++) {
          assertThat(a.waitFor(ids.get(i), Integer.class, Duration.ofSeconds(120)))
              .isEqualTo(2 * i);
          done.incrementAndGet();
        }
        // a run counts as finished after its result is stored, so a waiter may see the result first
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> assertThat(wa.finishedRuns() + wb.finishedRuns()).isEqualTo(tasks));
        assertThat(wa.finishedRuns()).as("worker a took a share").isPositive();
        assertThat(wb.finishedRuns()).as("worker b took a share").isPositive();
        assertThat(wa.rejectedWrites() + wb.rejectedWrites()).isZero();
      }
      assertThat(done).hasValue(tasks);
      assertThat(invocations).hasSize(tasks);
      assertThat(invocations.values()).allSatisfy(count -> assertThat(count).hasValue(1));
      Map<ExecutionState, Long> counts = a.operator().counts();
      assertThat(counts.get(ExecutionState.COMPLETED)).isEqualTo(tasks);
      assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(tasks);
      assertThat(a.operator().deadLetterCount()).isZero();
    }
  }
}
