package dev.sluice.bench.durable;

import dev.sluice.durable.Durable;
import dev.sluice.durable.ExecutionState;
import dev.sluice.durable.Task;
import dev.sluice.durable.Worker;
import dev.sluice.durable.WorkerConfig;
import dev.sluice.durable.store.SqliteExecutionStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Macro benchmark: executions per second, dispatch to completion, of a no-op task on the embedded
 * SQLite store, with 1 and with 4 workers sharing one store.
 *
 * <p>Each round starts from an empty database file, dispatches {@code --tasks} executions in
 * batches of 500 (one transaction each) while the workers already run, and stops the clock when a
 * {@code COUNT} query sees them all COMPLETED. A warm-up round precedes the measured ones; the
 * median of the measured rounds is reported.
 *
 * <pre>
 * flock /work/bench.lock java -cp sluice-bench/target/benchmarks.jar \
 *     dev.sluice.bench.durable.DurableThroughput --tasks 20000 --rounds 3
 * </pre>
 */
public final class DurableThroughput {
  private DurableThroughput() {}

  /**
   * Runs the benchmark.
   *
   * @param args {@code --tasks N}, {@code --rounds N}, {@code --workers 1,4}, {@code --concurrency
   *     N} (per worker)
   * @throws Exception if the benchmark cannot run
   */
  public static void main(String[] args) throws Exception {
    int tasks = 20_000;
    int rounds = 3;
    int concurrency = 32;
    List<Integer> workerCounts = List.of(1, 4);
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--tasks" -> tasks = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
        case "--workers" ->
            workerCounts = Arrays.stream(args[i + 1].split(",")).map(Integer::parseInt).toList();
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "durable throughput: %d no-op tasks per round, %d rounds, concurrency %d per worker%n",
        tasks,
        rounds,
        concurrency);
    System.out.printf(
        Locale.ROOT,
        "java %s, %d cpus%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    for (int workers : workerCounts) {
      round(workers, Math.max(1_000, tasks / 10), concurrency); // warm-up
      List<Double> rates = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        rates.add(round(workers, tasks, concurrency));
      }
      Collections.sort(rates);
      System.out.printf(
          Locale.ROOT,
          "sqlite workers=%d  median %.0f tasks/s  (rounds: %s)%n",
          workers,
          rates.get(rates.size() / 2),
          rates.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList());
    }
  }

  private static double round(int workers, int tasks, int concurrency) throws Exception {
    Path dir = Files.createTempDirectory("sluice-bench-durable");
    try (SqliteExecutionStore store = SqliteExecutionStore.open(dir.resolve("bench.db"))) {
      Durable durable = Durable.builder().store(store).build();
      Task<Integer, Integer> noop =
          durable.register(Task.of("noop", Integer.class, Integer.class, (ctx, n) -> n));
      List<Worker> running = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        running.add(
            durable
                .worker(
                    WorkerConfig.builder()
                        .workerId("bench-" + w)
                        .concurrency(concurrency)
                        .pollInterval(Duration.ofMillis(5), Duration.ofMillis(100))
                        .build())
                .start());
      }
      long start = System.nanoTime();
      for (int from = 0; from < tasks; from += 500) {
        durable.map(noop, IntStream.range(from, Math.min(tasks, from + 500)).boxed().toList());
      }
      while (durable.operator().counts().get(ExecutionState.COMPLETED) < tasks) {
        Thread.sleep(5);
      }
      long elapsed = System.nanoTime() - start;
      for (Worker worker : running) {
        worker.close();
      }
      return tasks / (elapsed / 1e9);
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }
}
