package dev.sluice.durable.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.durable.Durable;
import dev.sluice.durable.ExecutionState;
import dev.sluice.durable.Task;
import dev.sluice.durable.store.PostgresExecutionStore;
import dev.sluice.testkit.PostgresDatabase;
import dev.sluice.testkit.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A global limit of 3 on a task, 4 worker processes of 3 slots each: the recorded run intervals
 * never overlap more than 3 deep.
 */
class PostgresConcurrencyLimitProcessesIT {
  @TempDir Path directory;

  @Test
  void fourProcessesNeverRunMoreThanTheLimitOfThreeAtOnce() throws Exception {
    int tasks = 48;
    Path log = directory.resolve("intervals.log");
    Files.createFile(log);
    try (PostgresDatabase database = PostgresServer.shared().createDatabase()) {
      String url = PostgresProcessCrashIT.url(database);
      try (PostgresExecutionStore store =
              PostgresExecutionStore.builder().url(url).concurrencyLimit("limited.work", 3).open();
          WorkerProcesses workers =
              new WorkerProcesses(
                  "postgres",
                  url,
                  log,
                  5_000,
                  3,
                  100,
                  WorkerProcesses.outputDirectory("postgres-limit"))) {
        for (int i = 1; i <= 4; i++) {
          workers.start("p" + i);
        }
        Durable durable = Durable.builder().store(store).build();
        Task<String, String> task =
            durable.register(Task.of("limited.work", String.class, String.class, (c, in) -> in));
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
          inputs.add("job" + i);
        }
        durable.map(task, inputs);
        await()
            .atMost(Duration.ofSeconds(120))
            .until(() -> store.countByState().get(ExecutionState.COMPLETED) == tasks);
      }
    }
    Map<String, Long> starts = new HashMap<>();
    List<long[]> intervals = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      String[] f = line.split(" ");
      if (f[0].equals("start")) {
        starts.put(f[1], Long.parseLong(f[2]));
      } else if (f[0].equals("end")) {
        intervals.add(new long[] {starts.remove(f[1]), Long.parseLong(f[2])});
      }
    }
    assertThat(intervals).hasSize(tasks);
    int deepest = maxOverlap(intervals);
    System.out.println(
        "concurrency limit 3 across 4 processes x 3 slots: deepest overlap " + deepest);
    assertThat(deepest).isBetween(2, 3);
  }

  static int maxOverlap(List<long[]> intervals) {
    List<long[]> events = new ArrayList<>();
    for (long[] i : intervals) {
      events.add(new long[] {i[0], 1});
      events.add(new long[] {i[1], -1});
    }
    events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int running = 0;
    int max = 0;
    for (long[] e : events) {
      running += (int) e[1];
      max = Math.max(max, running);
    }
    return max;
  }
}
