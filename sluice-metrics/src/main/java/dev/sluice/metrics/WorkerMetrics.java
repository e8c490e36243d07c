package dev.sluice.metrics;

import dev.sluice.durable.ExecutionRun;
import dev.sluice.durable.WorkerConfig;
import dev.sluice.durable.WorkerListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Metrics of durable workers: a {@link WorkerListener} to pass to {@link
 * WorkerConfig.Builder#listener}, and a {@link MeterBinder} for the registry. One instance may
 * listen to every worker of a process; the figures add up. Events heard before {@link #bindTo} are
 * not counted. Bind it to one registry (a composite registry to export to several).
 *
 * <pre>{@code
 * WorkerMetrics metrics = new WorkerMetrics();
 * metrics.bindTo(registry);
 * Worker worker = durable.worker(WorkerConfig.builder().listener(metrics).build()).start();
 * }</pre>
 *
 * <p>It is a binder of its own, beside {@link DurableMetrics}: that one reads an engine's store at
 * scrape time, this one counts what workers do as they do it, needs no engine and no query, and can
 * hear workers of several engines.
 *
 * <p>Meters (see {@code docs/metrics.md}): {@code sluice.durable.claim.duration}; {@code
 * sluice.durable.executions.started}, {@code .completed}, {@code .failed} (for good) and {@code
 * .retried} by task and queue; {@code sluice.durable.dispatch.to.start} by queue; {@code
 * sluice.durable.lease.losses}; {@code sluice.durable.fenced.writes.refused} by write. Task names
 * and queues come from the registered tasks and the workers' configuration, so the series are
 * bounded by them; an execution id is never a tag. The meters of a task and queue appear with its
 * first run, and the hot path reads them from a map without a registry lookup.
 */
public final class WorkerMetrics implements MeterBinder, WorkerListener {
  private static final Duration[] CLAIM_BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1)
  };

  private static final Duration[] DISPATCH_BUCKETS = {
    Duration.ofMillis(10),
    Duration.ofMillis(100),
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(5),
    Duration.ofMinutes(15),
    Duration.ofHours(1)
  };

  private volatile Bound bound;

  /** A binder; pass it to the workers' configurations and bind it to a registry. */
  public WorkerMetrics() {}

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    if (bound != null) {
      throw new IllegalStateException("worker metrics are already bound to a registry");
    }
    bound = new Bound(registry);
  }

  @Override
  public void onClaim(int claimed, long claimNanos) {
    Bound b = bound;
    if (b != null) {
      b.claimDuration.record(claimNanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void onStarted(ExecutionRun run, long dispatchToStartNanos) {
    Bound b = bound;
    if (b != null) {
      b.meters(run).started.increment();
      b.dispatchToStart(run.queue()).record(dispatchToStartNanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void onCompleted(ExecutionRun run) {
    Bound b = bound;
    if (b != null) {
      b.meters(run).completed.increment();
    }
  }

  @Override
  public void onFailed(ExecutionRun run, Throwable failure, boolean retrying) {
    Bound b = bound;
    if (b != null) {
      TaskMeters meters = b.meters(run);
      (retrying ? meters.retried : meters.failed).increment();
    }
  }

  @Override
  public void onLeaseLost(ExecutionRun run, boolean cancelled) {
    Bound b = bound;
    if (b != null && !cancelled) {
      b.leaseLosses.increment();
    }
  }

  @Override
  public void onWriteRefused(ExecutionRun run, String write) {
    Bound b = bound;
    if (b != null) {
      Counter counter = b.refused.get(write);
      if (counter == null) {
        counter = b.refused.computeIfAbsent(write, b::refusedCounter);
      }
      counter.increment();
    }
  }

  /** The counters of one task on one queue. */
  private record TaskMeters(Counter started, Counter completed, Counter failed, Counter retried) {}

  /** The meters of one registry; those of a task and queue appear with its first run. */
  private static final class Bound {
    final MeterRegistry registry;
    final Timer claimDuration;
    final Counter leaseLosses;
    final ConcurrentHashMap<String, ConcurrentHashMap<String, TaskMeters>> byTask =
        new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, Timer> dispatchToStart = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, Counter> refused = new ConcurrentHashMap<>();

    Bound(MeterRegistry registry) {
      this.registry = registry;
      this.claimDuration =
          Timer.builder("sluice.durable.claim.duration")
              .description("Time a worker's claim query took, whether or not it found work")
              .serviceLevelObjectives(CLAIM_BUCKETS)
              .register(registry);
      this.leaseLosses =
          Counter.builder("sluice.durable.lease.losses")
              .description(
                  "Runs whose worker learned that their lease had lapsed and was taken over or"
                      + " ended (cancellations not included)")
              .register(registry);
    }

    /** Two map reads, no allocation, once the task and queue have been seen. */
    TaskMeters meters(ExecutionRun run) {
      ConcurrentHashMap<String, TaskMeters> byQueue = byTask.get(run.task());
      if (byQueue == null) {
        byQueue = byTask.computeIfAbsent(run.task(), t -> new ConcurrentHashMap<>());
      }
      TaskMeters meters = byQueue.get(run.queue());
      if (meters == null) {
        String task = run.task();
        meters = byQueue.computeIfAbsent(run.queue(), queue -> taskMeters(task, queue));
      }
      return meters;
    }

    Timer dispatchToStart(String queue) {
      Timer timer = dispatchToStart.get(queue);
      if (timer == null) {
        timer =
            dispatchToStart.computeIfAbsent(
                queue,
                q ->
                    Timer.builder("sluice.durable.dispatch.to.start")
                        .description(
                            "How long an execution waited, due, before a worker claimed it")
                        .tag("queue", q)
                        .serviceLevelObjectives(DISPATCH_BUCKETS)
                        .register(registry));
      }
      return timer;
    }

    private TaskMeters taskMeters(String task, String queue) {
      return new TaskMeters(
          counter("started", "Runs of executions that workers started", task, queue),
          counter("completed", "Runs that completed the execution", task, queue),
          counter(
              "failed",
              "Runs that failed for good: the execution is FAILED and dead-lettered",
              task,
              queue),
          counter("retried", "Runs that failed and will be tried again", task, queue));
    }

    private Counter counter(String suffix, String help, String task, String queue) {
      return Counter.builder("sluice.durable.executions." + suffix)
          .description(help)
          .tags("task", task, "queue", queue)
          .register(registry);
    }

    Counter refusedCounter(String write) {
      return Counter.builder("sluice.durable.fenced.writes.refused")
          .description("Writes naming a lease that was no longer held, which changed nothing")
          .tag("write", write)
          .register(registry);
    }
  }
}
