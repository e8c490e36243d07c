package dev.sluice.durable.store;

import dev.sluice.durable.ExecutionId;
import org.jspecify.annotations.Nullable;

/**
 * An execution that failed on its last allowed attempt, kept until it is replayed or discarded.
 *
 * @param executionId the failed execution
 * @param task its task name
 * @param queue its queue
 * @param error the last attempt's error
 * @param attempts how many attempts it made
 * @param failedAt when it failed, UTC epoch milliseconds
 */
public record DeadLetter(
    ExecutionId executionId,
    String task,
    String queue,
    @Nullable String error,
    int attempts,
    long failedAt) {}
