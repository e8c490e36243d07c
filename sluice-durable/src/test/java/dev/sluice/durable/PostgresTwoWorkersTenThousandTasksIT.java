package dev.sluice.durable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.durable.store.PostgresExecutionStore;
import dev.sluice.testkit.PostgresDatabase;
import dev.sluice.testkit.PostgresServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine's exactly-once run on PostgreSQL: two engines with their own pools (as two processes
 * would have), woken by LISTEN/NOTIFY, 10,000 tasks.
 */
@Timeout(300)
class PostgresTwoWorkersTenThousandTasksIT {

  private static PostgresExecutionStore open(PostgresDatabase database) {
    return PostgresExecutionStore.builder()
        .url(database.jdbcUrl())
        .user(database.user())
        .password(database.password())
        .open();
  }

  @Test
  void tenThousandTasksEachRunToCompletionExactlyOnceAndTheCountsAddUp() throws Exception {
    int tasks = 10_000;
    Map<Integer, AtomicInteger> invocations = new ConcurrentHashMap<>();
    TaskHandler<Integer, Integer> handler =
        (ctx, n) -> {
          invocations.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
          return n * 2;
        };
    try (PostgresDatabase database = PostgresServer.shared().createDatabase();
        PostgresExecutionStore storeA = open(database);
        PostgresExecutionStore storeB = open(database)) {
      Durable a = Durable.builder().store(storeA).build();
      Durable b = Durable.builder().store(storeB).build();
      Task<Integer, Integer> doubleIt =
          a.register(Task.of("double", Integer.class, Integer.class, handler));
      b.register(Task.of("double", Integer.class, Integer.class, handler));
      WorkerConfig.Builder config = WorkerConfig.builder().concurrency(32);
      try (AutoCloseable wakeA = NotificationWakeups.connect(a, storeA);
          AutoCloseable wakeB = NotificationWakeups.connect(b, storeB);
          Worker wa = a.worker(config.workerId("a").build()).start();
          Worker wb = b.worker(config.workerId("b").build()).start()) {
        List<ExecutionId> ids = a.map(doubleIt, IntStream.range(0, tasks).boxed().toList());
        for (int i = 0; i < tasks; i++) {
          assertThat(a.waitFor(ids.get(i), Integer.class, Duration.ofSeconds(120)))
              .isEqualTo(2 * i);
        }
        assertThat(wa.finishedRuns() + wb.finishedRuns()).isEqualTo(tasks);
        assertThat(wa.finishedRuns()).as("worker a took a share").isPositive();
        assertThat(wb.finishedRuns()).as("worker b took a share").isPositive();
        assertThat(wa.rejectedWrites() + wb.rejectedWrites()).isZero();
      }
      assertThat(invocations).hasSize(tasks);
      assertThat(invocations.values()).allSatisfy(count -> assertThat(count).hasValue(1));
      Map<ExecutionState, Long> counts = a.operator().counts();
      assertThat(counts.get(ExecutionState.COMPLETED)).isEqualTo(tasks);
      assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(tasks);
      assertThat(a.operator().deadLetterCount()).isZero();
    }
  }
}
