package dev.sluice.durable.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.durable.Durable;
import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionState;
import dev.sluice.durable.Task;
import dev.sluice.durable.store.ExecutionFilter;
import dev.sluice.durable.store.ExecutionRecord;
import dev.sluice.durable.store.ExecutionStore;
import dev.sluice.durable.store.StepRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real crashes: worker JVMs run a batch (topped up while the kills go on, so that it cannot drain
 * while a replacement JVM is still starting on a loaded machine); the test SIGKILLs the busiest one
 * mid-task again and again and starts a replacement. Every execution must end COMPLETED once, with
 * the outcomes its steps checkpointed, no checkpointed step may run again, and the killed work must
 * resume about one lease after the kill.
 */
abstract class ProcessCrashContract {
  static final int TASKS = 120;
  static final int KILLS = 5;
  static final long LEASE_MILLIS = 2_000;
  static final long STEP_MILLIS = 150;

  /** Work kept waiting while the kills go on, so the batch cannot drain before the last kill. */
  static final int MIN_PENDING = 24;

  @TempDir Path directory;

  /** What happened when, for a failure message. */
  private final List<String> timeline = new ArrayList<>();

  private long startedAt;

  /** The store the test dispatches with and inspects. */
  abstract ExecutionStore openStore() throws Exception;

  /** {@code sqlite} or {@code postgres}. */
  abstract String kind();

  /** The {@code --db} the worker processes open. */
  abstract String workerDb();

  @Test
  void killedWorkersLoseNothingRerunNoCheckpointedStepAndRecoverInAboutOneLease() throws Exception {
    Path log = directory.resolve("steps.log");
    Files.createFile(log);
    List<Long> recoveries = new ArrayList<>();
    Set<Long> killedPids = new HashSet<>();
    List<ExecutionId> ids = new ArrayList<>();
    try (ExecutionStore store = openStore();
        WorkerProcesses workers =
            new WorkerProcesses(
                kind(),
                workerDb(),
                log,
                LEASE_MILLIS,
                4,
                STEP_MILLIS,
                WorkerProcesses.outputDirectory(kind() + "-crash"))) {
      try {
        runBatchWithKills(store, workers, ids, killedPids, recoveries);
        checkStepLog(Files.readAllLines(log), killedPids, ids.size());
        System.out.printf(
            "%s crash test: %d tasks, %d kills, lease %d ms, kill-to-resumed ms %s%n",
            kind(), ids.size(), KILLS, LEASE_MILLIS, recoveries);
        assertThat(recoveries).isNotEmpty();
        assertThat(recoveries)
            .allSatisfy(ms -> assertThat(ms).isBetween(LEASE_MILLIS / 4, LEASE_MILLIS + 3_000));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            e.getMessage()
                + "\nstates now: "
                + store.countByState()
                + "\ntimeline (ms since dispatch):\n  "
                + String.join("\n  ", timeline)
                + "\n"
                + workers.report(),
            e);
      }
    }
  }

  private void event(String what) {
    timeline.add((System.nanoTime() - startedAt) / 1_000_000 + " " + what);
  }

  private void runBatchWithKills(
      ExecutionStore store,
      WorkerProcesses workers,
      List<ExecutionId> ids,
      Set<Long> killedPids,
      List<Long> recoveries)
      throws Exception {
    startedAt = System.nanoTime();
    Durable durable = Durable.builder().store(store).build();
    Task<String, String> task =
        durable.register(Task.of("crash.work", String.class, String.class, (ctx, in) -> in));
    Runnable topUp = () -> topUp(store, durable, task, ids);
    for (int i = 0; i < TASKS; i++) {
      ids.add(durable.dispatch(task, "t" + i));
    }
    event("dispatched " + TASKS);
    Map<String, Process> live = new LinkedHashMap<>();
    int next = 1;
    for (; next <= 3; next++) {
      live.put("w" + next, workers.start("w" + next));
      event("w" + next + " ready; states " + store.countByState());
    }
    for (int kill = 0; kill < KILLS; kill++) {
      Map<String, List<ExecutionRecord>> byWorker = new HashMap<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInSameThread()
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                // worker JVMs start slowly on a loaded machine while the live ones keep
                // draining the batch: keep work pending so that there is always a task to
                // kill a worker in the middle of
                topUp.run();
                byWorker.clear();
                for (ExecutionRecord r : running(store)) {
                  if (live.containsKey(r.workerId())) {
                    byWorker.computeIfAbsent(r.workerId(), k -> new ArrayList<>()).add(r);
                  }
                }
                return !byWorker.isEmpty();
              });
      String victim =
          byWorker.entrySet().stream()
              .max(Comparator.comparingInt(e -> e.getValue().size()))
              .orElseThrow()
              .getKey();
      Process process = live.remove(victim);
      killedPids.add(process.pid());
      WorkerProcesses.kill(process);
      long killedAt = System.nanoTime();
      event("killed " + victim + " pid " + process.pid() + "; states " + store.countByState());
      // what the victim held, as the database says right after its death
      Map<ExecutionId, Long> held = new HashMap<>();
      for (ExecutionRecord r : running(store)) {
        if (victim.equals(r.workerId())) {
          held.put(r.id(), r.fence());
        }
      }
      if (!held.isEmpty()) {
        // the survivors take over; the replacement starts afterwards, so that its JVM start-up
        // (seconds on a loaded machine) is not counted as recovery time
        await()
            .atMost(Duration.ofMillis(LEASE_MILLIS * 5))
            .pollInterval(Duration.ofMillis(10))
            .until(
                () ->
                    held.entrySet().stream()
                        .allMatch(h -> resumed(store, h.getKey(), h.getValue())));
        recoveries.add((System.nanoTime() - killedAt) / 1_000_000);
        event(held.size() + " executions held by " + victim + " resumed");
      }
      String replacement = "w" + next++;
      live.put(replacement, workers.start(replacement));
      event(replacement + " ready; states " + store.countByState());
    }
    event("kills done; " + ids.size() + " tasks dispatched");
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> store.countByState().get(ExecutionState.COMPLETED) == ids.size());

    // nothing lost, nothing else
    Map<ExecutionState, Long> counts = store.countByState();
    assertThat(counts.get(ExecutionState.COMPLETED)).isEqualTo(ids.size());
    assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(ids.size());

    // each result is made of exactly the outcomes its steps checkpointed
    for (int i = 0; i < ids.size(); i++) {
      ExecutionId id = ids.get(i);
      List<String> outcomes =
          store.steps(id).stream()
              .map(StepRecord::outcomeJson)
              .map(json -> json.substring(1, json.length() - 1))
              .toList();
      assertThat(outcomes).hasSize(3);
      String expected = "\"t" + i + "|" + String.join("|", outcomes) + "\"";
      assertThat(store.find(id).orElseThrow().resultJson()).as(id.value()).isEqualTo(expected);
    }
  }

  /** Dispatches more tasks while fewer than {@link #MIN_PENDING} wait to be claimed. */
  private static void topUp(
      ExecutionStore store, Durable durable, Task<String, String> task, List<ExecutionId> ids) {
    long pending = store.countByState().get(ExecutionState.PENDING);
    for (long p = pending; p < MIN_PENDING; p++) {
      ids.add(durable.dispatch(task, "t" + ids.size()));
    }
  }

  private static List<ExecutionRecord> running(ExecutionStore store) {
    return store.list(new ExecutionFilter(ExecutionState.RUNNING, null, "crash.work", 1000, 0));
  }

  private static boolean resumed(ExecutionStore store, ExecutionId id, long fence) {
    ExecutionRecord now = store.find(id).orElseThrow();
    return now.fence() > fence || now.state().isTerminal();
  }

  /**
   * No step runs again once its checkpoint was committed; a step ran more than once only because
   * the process running it was killed.
   */
  static void checkStepLog(List<String> lines, Set<Long> killedPids, int tasks) {
    Map<String, List<String[]>> byStep = new LinkedHashMap<>();
    for (String line : lines) {
      String[] f = line.split(" ");
      byStep.computeIfAbsent(f[1] + " " + f[2], k -> new ArrayList<>()).add(f);
    }
    assertThat(byStep).hasSize(tasks * 3);
    int reruns = 0;
    for (Map.Entry<String, List<String[]>> step : byStep.entrySet()) {
      boolean checkpointed = false;
      List<String[]> runs = new ArrayList<>();
      for (String[] f : step.getValue()) {
        if (f[0].equals("done")) {
          checkpointed = true;
        } else {
          assertThat(checkpointed).as("step %s ran after its checkpoint", step.getKey()).isFalse();
          runs.add(f);
        }
      }
      assertThat(checkpointed).as("step %s finished", step.getKey()).isTrue();
      assertThat(runs).as("step %s ran", step.getKey()).isNotEmpty();
      for (String[] earlier : runs.subList(0, runs.size() - 1)) {
        assertThat(killedPids)
            .as("step %s re-ran", step.getKey())
            .contains(Long.parseLong(earlier[3]));
      }
      reruns += runs.size() - 1;
    }
    System.out.println(
        "steps re-run because their process was killed before the checkpoint: "
            + reruns
            + " of "
            + byStep.size()
            + "; killed pids "
            + killedPids.stream().map(String::valueOf).collect(Collectors.joining(",")));
  }
}
