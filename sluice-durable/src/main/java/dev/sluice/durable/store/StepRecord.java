package dev.sluice.durable.store;

import dev.sluice.durable.ExecutionId;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One checkpointed step of an execution, keyed by the execution and the step's sequence number, so
 * the same step of a re-run finds it again.
 *
 * @param executionId the execution
 * @param sequence the step's position in the handler, from 1
 * @param name the step's name, checked on replay to catch a handler that changed shape
 * @param kind what the step was
 * @param status whether its outcome is known
 * @param outcomeJson the outcome as JSON when DONE ({@code null} text for a null result)
 * @param deadline for sleeps and signal waits, when the wait ends (UTC epoch ms), else null
 * @param recordedAt when it was written
 */
public record StepRecord(
    ExecutionId executionId,
    int sequence,
    String name,
    StepKind kind,
    StepStatus status,
    @Nullable String outcomeJson,
    @Nullable Long deadline,
    long recordedAt) {

  /** Validates the required fields. */
  public StepRecord {
    Objects.requireNonNull(executionId, "executionId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
  }
}
