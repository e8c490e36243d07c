package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.durable.DispatchOptions;
import dev.sluice.durable.Durable;
import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionRun;
import dev.sluice.durable.Task;
import dev.sluice.durable.Worker;
import dev.sluice.durable.WorkerConfig;
import dev.sluice.durable.store.SqliteExecutionStore;
import dev.sluice.retry.Backoff;
import dev.sluice.retry.RetryPolicy;
import dev.sluice.time.ManualTimeSource;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker metrics from a real engine on SQLite, driven through a known sequence on a manual clock.
 */
@Timeout(60)
class WorkerMetricsTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void threeCompleteOneFailsAndIsRetriedOneIsDeadLettered(@TempDir Path dir) {
    try (SqliteExecutionStore store = SqliteExecutionStore.open(dir.resolve("sluice.db"))) {
      Durable durable = Durable.builder().store(store).timeSource(time).build();
      Task<Integer, Integer> ok =
          durable.register(Task.of("ok", Integer.class, Integer.class, (ctx, n) -> n));
      Task<Integer, Integer> flaky =
          durable.register(
              Task.of(
                      "flaky",
                      Integer.class,
                      Integer.class,
                      (ctx, n) -> {
                        if (ctx.attempt() == 1) {
                          throw new IllegalStateException("first attempt fails");
                        }
                        return n;
                      })
                  .withRetry(
                      RetryPolicy.builder()
                          .maxAttempts(2)
                          .backoff(Backoff.fixed(Duration.ofSeconds(2)))
                          .build()));
      Task<Integer, Integer> doomed =
          durable.register(
              Task.of(
                  "doomed",
                  Integer.class,
                  Integer.class,
                  (ctx, n) -> {
                    throw new IllegalStateException("always fails");
                  }));
      WorkerMetrics metrics = new WorkerMetrics();
      metrics.bindTo(registry);
      DurableMetrics.builder(durable).build().bindTo(registry);

      DispatchOptions mail = DispatchOptions.builder().queue("mail").build();
      List<ExecutionId> oks =
          List.of(durable.dispatch(ok, 1), durable.dispatch(ok, 2), durable.dispatch(ok, 3, mail));
      ExecutionId flaky1 = durable.dispatch(flaky, 4);
      ExecutionId doomed1 = durable.dispatch(doomed, 5);
      time.advance(Duration.ofSeconds(5));
      try (Worker worker =
          durable
              .worker(
                  WorkerConfig.builder()
                      .queues("default", "mail")
                      .shutdownGrace(Duration.ZERO)
                      .listener(metrics)
                      .build())
              .start()) {
        for (ExecutionId id : oks) {
          durable.waitFor(id, Integer.class, Duration.ofSeconds(10));
        }
        await().until(() -> count("sluice.durable.executions.retried", "flaky", "default") == 1);
        await().until(() -> count("sluice.durable.executions.failed", "doomed", "default") == 1);
        time.advance(Duration.ofMillis(3500)); // the retry is due 2s after the failure
        assertThat(durable.waitFor(flaky1, Integer.class, Duration.ofSeconds(10))).isEqualTo(4);
        await().until(() -> count("sluice.durable.executions.completed", "flaky", "default") == 1);
        await().until(() -> worker.finishedRuns() == 6);
      }

      assertThat(count("sluice.durable.executions.started", "ok", "default")).isEqualTo(2);
      assertThat(count("sluice.durable.executions.started", "ok", "mail")).isEqualTo(1);
      assertThat(count("sluice.durable.executions.completed", "ok", "default")).isEqualTo(2);
      assertThat(count("sluice.durable.executions.completed", "ok", "mail")).isEqualTo(1);
      assertThat(count("sluice.durable.executions.started", "flaky", "default")).isEqualTo(2);
      assertThat(count("sluice.durable.executions.retried", "flaky", "default")).isEqualTo(1);
      assertThat(count("sluice.durable.executions.failed", "flaky", "default")).isZero();
      assertThat(count("sluice.durable.executions.started", "doomed", "default")).isEqualTo(1);
      assertThat(count("sluice.durable.executions.failed", "doomed", "default")).isEqualTo(1);
      assertThat(count("sluice.durable.executions.completed", "doomed", "default")).isZero();
      assertThat(registry.find("sluice.durable.executions.started").counters())
          .as("one series per task and queue that ran")
          .hasSize(4);
      assertThat(registry.get("sluice.durable.dead.letters").gauge().value()).isEqualTo(1);

      Timer defaultQueue =
          registry.get("sluice.durable.dispatch.to.start").tag("queue", "default").timer();
      assertThat(defaultQueue.count()).isEqualTo(5);
      // four runs waited 5s, the retry 1.5s past its due time
      assertThat(defaultQueue.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(21_500);
      assertThat(defaultQueue.max(TimeUnit.MILLISECONDS)).isEqualTo(5_000);
      Timer mailQueue =
          registry.get("sluice.durable.dispatch.to.start").tag("queue", "mail").timer();
      assertThat(mailQueue.count()).isEqualTo(1);
      assertThat(mailQueue.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(5_000);

      Timer claims = registry.get("sluice.durable.claim.duration").timer();
      assertThat(claims.count())
          .as("one claim of five, one of the retry")
          .isGreaterThanOrEqualTo(2);
      assertThat(claims.totalTime(TimeUnit.NANOSECONDS))
          .as("the manual clock stood still")
          .isZero();
      assertThat(registry.get("sluice.durable.lease.losses").counter().count()).isZero();
      assertThat(registry.find("sluice.durable.fenced.writes.refused").counters()).isEmpty();
      Set<String> ids = new HashSet<>();
      for (ExecutionId id : List.of(oks.get(0), oks.get(1), oks.get(2), flaky1, doomed1)) {
        ids.add(id.value());
      }
      for (Meter meter : registry.getMeters()) {
        assertThat(meter.getId().getTags())
            .as("tags of %s", meter.getId().getName())
            .allMatch(tag -> Set.of("task", "queue", "state", "le").contains(tag.getKey()))
            .noneMatch(tag -> ids.contains(tag.getValue()));
      }
    }
  }

  @Test
  void leaseLossesAndRefusedWritesAreCountedButCancellationIsNoLoss() {
    WorkerMetrics metrics = new WorkerMetrics();
    ExecutionRun run = run("ok", "default");
    metrics.onLeaseLost(run, false); // before binding: not counted
    metrics.bindTo(registry);
    metrics.onLeaseLost(run, false);
    metrics.onLeaseLost(run, true);
    metrics.onWriteRefused(run, "heartbeat");
    metrics.onWriteRefused(run, "completion");
    metrics.onWriteRefused(run, "completion");
    assertThat(registry.get("sluice.durable.lease.losses").counter().count()).isEqualTo(1);
    assertThat(refused("heartbeat")).isEqualTo(1);
    assertThat(refused("completion")).isEqualTo(2);
    assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already bound");
  }

  @Test
  void concurrentRunsOfTheSameTasksShareTheirMetersAndLoseNoCount() throws Exception {
    WorkerMetrics metrics = new WorkerMetrics();
    metrics.bindTo(registry);
    int threads = 8;
    int perThread = 20_000;
    List<ExecutionRun> runs = new ArrayList<>();
    for (String task : List.of("a", "b", "c")) {
      for (String queue : List.of("q1", "q2")) {
        runs.add(run(task, queue));
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t;
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < perThread; i++) {
                    ExecutionRun run = runs.get((i + offset) % runs.size());
                    metrics.onStarted(run, 1_000_000);
                    if (i % 2 == 0) {
                      metrics.onCompleted(run);
                    } else {
                      metrics.onFailed(run, new IllegalStateException("x"), i % 4 == 1);
                    }
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    long total = (long) threads * perThread;
    assertThat(registry.find("sluice.durable.executions.started").counters()).hasSize(6);
    assertThat(sum("sluice.durable.executions.started")).isEqualTo(total);
    assertThat(sum("sluice.durable.executions.completed")).isEqualTo(total / 2);
    assertThat(sum("sluice.durable.executions.retried")).isEqualTo(total / 4);
    assertThat(sum("sluice.durable.executions.failed")).isEqualTo(total / 4);
    assertThat(registry.find("sluice.durable.dispatch.to.start").timers()).hasSize(2);
    assertThat(
            registry.find("sluice.durable.dispatch.to.start").timers().stream()
                .mapToLong(Timer::count)
                .sum())
        .isEqualTo(total);
  }

  private static ExecutionRun run(String task, String queue) {
    return new ExecutionRun(ExecutionId.of("run-of-" + task), task, queue, 1);
  }

  private double count(String name, String task, String queue) {
    var counter = registry.find(name).tags("task", task, "queue", queue).counter();
    return counter == null ? 0 : counter.count();
  }

  private double refused(String write) {
    return registry
        .get("sluice.durable.fenced.writes.refused")
        .tag("write", write)
        .counter()
        .count();
  }

  private double sum(String name) {
    return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }
}
