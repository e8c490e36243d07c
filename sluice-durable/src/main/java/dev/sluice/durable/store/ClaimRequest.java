package dev.sluice.durable.store;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A worker's request for due executions.
 *
 * <p>Eligible: pending executions whose {@code scheduled_for} has come, and running executions
 * whose lease has expired (their worker is presumed dead), of one of {@code tasks}, in one of
 * {@code queues}, not expired, and whose tags are all among {@code workerTags} (an untagged
 * execution is eligible for every worker). Highest priority first, then earliest due.
 *
 * @param workerId the claiming worker
 * @param queues the queues it serves, at least one
 * @param tasks the task names it has handlers for, at least one
 * @param workerTags the tags it has
 * @param limit the most executions to claim, at least 1
 * @param now the caller's clock, UTC epoch milliseconds; a store with its own clock may use that
 * @param leaseMillis the lease length; the lease expires at {@code now + leaseMillis}
 */
public record ClaimRequest(
    String workerId,
    List<String> queues,
    List<String> tasks,
    Set<String> workerTags,
    int limit,
    long now,
    long leaseMillis) {

  /** Validates the request. */
  public ClaimRequest {
    Objects.requireNonNull(workerId, "workerId");
    queues = List.copyOf(queues);
    tasks = List.copyOf(tasks);
    workerTags = Set.copyOf(workerTags);
    if (queues.isEmpty()) {
      throw new IllegalArgumentException("claim queues must not be empty");
    }
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("claim tasks must not be empty");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("claim limit must be >= 1, was " + limit);
    }
    if (leaseMillis < 1) {
      throw new IllegalArgumentException("claim leaseMillis must be >= 1, was " + leaseMillis);
    }
  }
}
