package dev.sluice.durable.store;

import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionState;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One execution as stored. Times are UTC epoch milliseconds; {@code null} where not set.
 *
 * @param id the id
 * @param task the task name
 * @param queue the queue
 * @param tags the tags a worker must have (empty: any worker)
 * @param priority higher runs first
 * @param state the state
 * @param inputJson the input as JSON
 * @param resultJson the result as JSON when COMPLETED (the text {@code null} for a null result)
 * @param error the last attempt's error, if any
 * @param idempotencyKey the idempotency key, if any
 * @param parentId the parent, for a child
 * @param attempt the current attempt, from 1
 * @param maxAttempts the attempts allowed
 * @param retryJson the persisted retry policy, if any
 * @param createdAt dispatch time
 * @param scheduledFor when it is (or was) due
 * @param expiresAt when it expires, if ever
 * @param startedAt when the current claim began
 * @param finishedAt when it reached a terminal state
 * @param workerId the worker holding it, while running
 * @param leaseExpiresAt when that worker's lease ends, while running
 * @param fence the fencing token of the latest claim
 */
public record ExecutionRecord(
    ExecutionId id,
    String task,
    String queue,
    List<String> tags,
    int priority,
    ExecutionState state,
    String inputJson,
    @Nullable String resultJson,
    @Nullable String error,
    @Nullable String idempotencyKey,
    @Nullable ExecutionId parentId,
    int attempt,
    int maxAttempts,
    @Nullable String retryJson,
    long createdAt,
    long scheduledFor,
    @Nullable Long expiresAt,
    @Nullable Long startedAt,
    @Nullable Long finishedAt,
    @Nullable String workerId,
    @Nullable Long leaseExpiresAt,
    long fence) {

  /** Copies the tags. */
  public ExecutionRecord {
    tags = List.copyOf(tags);
  }

  /**
   * The lease of the latest claim, for a record returned by {@link ExecutionStore#claim}.
   *
   * @return the lease naming this record's fence and worker
   */
  public Lease lease() {
    return new Lease(id, fence, workerId == null ? "" : workerId);
  }
}
