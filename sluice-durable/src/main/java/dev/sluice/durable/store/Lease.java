package dev.sluice.durable.store;

import dev.sluice.durable.ExecutionId;
import java.util.Objects;

/**
 * The proof that a worker holds an execution: the fencing token a claim handed out.
 *
 * <p>Every claim of an execution increases its fence by one. Every write a worker makes after its
 * claim (heartbeat, step checkpoint, completion, failure, retry, suspension) names the lease and
 * succeeds only while the row still carries the same fence and is still running. A worker whose
 * lease expired and was claimed by another therefore cannot change anything any more.
 *
 * @param executionId the execution held
 * @param fence the fencing token of this claim
 * @param workerId the worker that claimed it, for diagnostics
 */
public record Lease(ExecutionId executionId, long fence, String workerId) {
  /** Validates the lease. */
  public Lease {
    Objects.requireNonNull(executionId, "executionId");
    Objects.requireNonNull(workerId, "workerId");
  }

  @Override
  public String toString() {
    return executionId + "@" + fence + " (worker " + workerId + ")";
  }
}
