package dev.sluice.durable.store;

import dev.sluice.durable.ExecutionId;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An execution to insert, as {@link dev.sluice.durable.Durable} prepares it. Times are UTC epoch
 * milliseconds.
 *
 * @param id the id; for a child, the deterministic id derived from its parent
 * @param task the registered task name
 * @param queue the queue it waits in
 * @param tags tags a worker must all have to claim it; empty for "any worker"
 * @param priority higher runs first among due executions
 * @param inputJson the input as JSON
 * @param idempotencyKey a key unique per task, or {@code null}
 * @param parentId the parent execution for a child, or {@code null}
 * @param maxAttempts how many attempts it may make, at least 1
 * @param retryJson the persisted retry policy (JSON), or {@code null} for none
 * @param createdAt when it was dispatched
 * @param scheduledFor when it becomes claimable
 * @param expiresAt when it expires if not finished, or {@code null} for never
 */
public record NewExecution(
    ExecutionId id,
    String task,
    String queue,
    List<String> tags,
    int priority,
    String inputJson,
    @Nullable String idempotencyKey,
    @Nullable ExecutionId parentId,
    int maxAttempts,
    @Nullable String retryJson,
    long createdAt,
    long scheduledFor,
    @Nullable Long expiresAt) {

  /** Validates the required fields and copies the tags. */
  public NewExecution {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(inputJson, "inputJson");
    tags = List.copyOf(tags);
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
  }
}
