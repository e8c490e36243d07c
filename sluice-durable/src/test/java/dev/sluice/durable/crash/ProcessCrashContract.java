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
 * Real crashes: worker JVMs run a batch; the test SIGKILLs the busiest one mid-task again and again
 * and starts a replacement. Every execution must end COMPLETED once, with the outcomes its steps
 * checkpointed, no checkpointed step may run again, and the killed work must resume about one lease
 * after the kill.
 */
abstract class ProcessCrashContract {
  static final int TASKS = 120;
  static final int KILLS = 5;
  static final long LEASE_MILLIS = 2_000;
  static final long STEP_MILLIS = 150;

  @TempDir Path directory;

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
            new WorkerProcesses(kind(), workerDb(), log, LEASE_MILLIS, 4, STEP_MILLIS, directory)) {
      Durable durable = Durable.builder().store(store).build();
      Task<String, String> task =
          durable.register(Task.of("crash.work", String.class, String.class, (ctx, in) -> in));
      for (int i = 0; i < TASKS; i++) {
        ids.add(durable.dispatch(task, "t" + i));
      }
      Map<String, Process> live = new LinkedHashMap<>();
      int next = 1;
      for (; next <= 3; next++) {
        live.put("w" + next, workers.start("w" + next));
      }
      for (int kill = 0; kill < KILLS; kill++) {
        Map<String, List<ExecutionRecord>> byWorker = new HashMap<>();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> {
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
        // what the victim held, as the database says right after its death
        Map<ExecutionId, Long> held = new HashMap<>();
        for (ExecutionRecord r : running(store)) {
          if (victim.equals(r.workerId())) {
            held.put(r.id(), r.fence());
          }
        }
        String replacement = "w" + next++;
        live.put(replacement, workers.start(replacement));
        if (!held.isEmpty()) {
          await()
              .atMost(Duration.ofMillis(LEASE_MILLIS * 5))
              .pollInterval(Duration.ofMillis(10))
              .until(
                  () ->
                      held.entrySet().stream()
                          .allMatch(h -> resumed(store, h.getKey(), h.getValue())));
          recoveries.add((System.nanoTime() - killedAt) / 1_000_000);
        }
      }
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> store.countByState().get(ExecutionState.COMPLETED) == TASKS);

      // nothing lost, nothing else
      Map<ExecutionState, Long> counts = store.countByState();
      assertThat(counts.get(ExecutionState.COMPLETED)).isEqualTo(TASKS);
      assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(TASKS);

      // each result is made of exactly the outcomes its steps checkpointed
      for (int i = 0; i < TASKS; i++) {
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

    checkStepLog(Files.readAllLines(log), killedPids);
    System.out.printf(
        "%s crash test: %d tasks, %d kills, lease %d ms, kill-to-resumed ms %s%n",
        kind(), TASKS, KILLS, LEASE_MILLIS, recoveries);
    assertThat(recoveries).isNotEmpty();
    assertThat(recoveries)
        .allSatisfy(ms -> assertThat(ms).isBetween(LEASE_MILLIS / 4, LEASE_MILLIS + 3_000));
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
  static void checkStepLog(List<String> lines, Set<Long> killedPids) {
    Map<String, List<String[]>> byStep = new LinkedHashMap<>();
    for (String line : lines) {
      String[] f = line.split(" ");
      byStep.computeIfAbsent(f[1] + " " + f[2], k -> new ArrayList<>()).add(f);
    }
    assertThat(byStep).hasSize(TASKS * 3);
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
