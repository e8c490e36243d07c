package dev.sluice.durable;

import dev.sluice.durable.store.ClaimRequest;
import dev.sluice.durable.store.ExecutionRecord;
import dev.sluice.durable.store.SqliteExecutionStore;
import dev.sluice.time.ManualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A SQLite file in a temporary directory, a manual clock and an engine on both. */
final class Fixture implements AutoCloseable {
  final ManualTimeSource time = new ManualTimeSource();
  final SqliteExecutionStore store;
  final Durable durable;
  private final List<Worker> workers = new ArrayList<>();

  Fixture(Path dir) {
    store = SqliteExecutionStore.open(dir.resolve("sluice.db"));
    durable = Durable.builder().store(store).timeSource(time).build();
  }

  Worker worker(WorkerConfig.Builder config) {
    Worker worker = durable.worker(config.build()).start();
    workers.add(worker);
    return worker;
  }

  Worker worker() {
    return worker(
        WorkerConfig.builder().lease(Duration.ofSeconds(30)).shutdownGrace(Duration.ZERO));
  }

  /**
   * Moves the manual clock forward in half-second ticks until the condition holds, so workers
   * polling on that clock keep polling. Use after the exact-time assertions of a test.
   */
  void tickUntil(java.util.function.BooleanSupplier condition) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              if (condition.getAsBoolean()) {
                return true;
              }
              time.advance(Duration.ofMillis(500));
              return false;
            });
  }

  /** Ticks until the execution has ended. */
  void tickUntilEnded(ExecutionId id) {
    tickUntil(() -> durable.stateOf(id).isTerminal());
  }

  long now() {
    return time.now().toEpochMilli();
  }

  /** Claims as an outside worker would, to prove what is and is not claimable right now. */
  List<ExecutionRecord> probeClaim(String task) {
    return store.claim(
        new ClaimRequest(
            "probe",
            List.of(DispatchOptions.DEFAULT_QUEUE),
            List.of(task),
            Set.of(),
            10,
            now(),
            1000));
  }

  /** Claims any due execution of any task the engine knows. */
  List<ExecutionRecord> probeClaimAll() {
    return store.claim(
        new ClaimRequest(
            "probe",
            List.of(DispatchOptions.DEFAULT_QUEUE),
            durable.taskNames(),
            Set.of(),
            10,
            now(),
            1000));
  }

  @Override
  public void close() {
    for (Worker worker : workers) {
      worker.close();
    }
    store.close();
  }
}
