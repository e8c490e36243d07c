package dev.sluice.durable;

import java.util.Objects;

/**
 * One run of one execution under one lease, as a {@link WorkerListener} hears of it: what every
 * event of the run names. The worker makes one per claimed execution and passes the same instance
 * to each event of that run.
 *
 * <p>{@code task} and {@code queue} come from bounded sets (registered task names, configured
 * queues) and suit metric tags; {@code executionId} does not, and is there for logs and traces.
 *
 * @param executionId the execution
 * @param task the task name
 * @param queue the queue it was claimed from
 * @param attempt the attempt this run makes, from 1
 */
public record ExecutionRun(ExecutionId executionId, String task, String queue, int attempt) {

  /**
   * Checks that no part is missing.
   *
   * @throws NullPointerException if the id, task or queue is null
   */
  public ExecutionRun {
    Objects.requireNonNull(executionId, "run.execution-id");
    Objects.requireNonNull(task, "run.task");
    Objects.requireNonNull(queue, "run.queue");
  }
}
