package dev.sluice.durable.store;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a worker needs of an {@link ExecutionStore}: claiming executions under a lease, and the
 * fenced writes that follow a claim (heartbeats, outcomes, suspension, release, steps, signals).
 * Every method taking a {@link Lease} changes the execution only while it is still running under
 * that lease's fence; otherwise it changes nothing and returns {@code false} (or empty).
 */
public interface WorkerStore {

  /**
   * Claims due executions for a worker in one statement, each under a new lease (fence + 1, state
   * running, lease until {@code now + leaseMillis}). Before claiming, executions whose maximum
   * duration has passed are moved to EXPIRED.
   *
   * @param request who claims, from which queues, with which tags, how many
   * @return the claimed executions, at most {@code request.limit()}
   */
  List<ExecutionRecord> claim(ClaimRequest request);

  /**
   * Extends a lease.
   *
   * @param lease the lease held
   * @param leaseExpiresAt the new end of the lease
   * @return {@code false} if the lease was lost (nothing changed)
   */
  boolean heartbeat(Lease lease, long leaseExpiresAt);

  /**
   * Completes an execution with its result and makes a parent waiting for it due.
   *
   * @param lease the lease held
   * @param resultJson the result as JSON; the text {@code null} for a null result
   * @param now the time of completion
   * @return {@code false} if the lease was lost (nothing changed)
   */
  boolean complete(Lease lease, String resultJson, long now);

  /**
   * Completes many executions, each as {@link #complete} would and each fenced by its own lease; a
   * store may do it in one transaction (group commit) to spend one commit on many results.
   *
   * @param completions the completions
   * @return per completion, in order, {@code false} if its lease was lost (nothing changed)
   */
  default List<Boolean> completeAll(List<Completion> completions) {
    List<Boolean> accepted = new java.util.ArrayList<>(completions.size());
    for (Completion completion : completions) {
      accepted.add(complete(completion.lease(), completion.resultJson(), completion.now()));
    }
    return accepted;
  }

  /**
   * Sends a failed attempt back to pending for another attempt: attempt + 1, due at {@code
   * scheduledFor}, lease and worker cleared, so no one can claim it earlier.
   *
   * @param lease the lease held
   * @param error the attempt's error
   * @param scheduledFor when the next attempt becomes claimable
   * @param now the time of the failure
   * @return {@code false} if the lease was lost (nothing changed)
   */
  boolean retry(Lease lease, String error, long scheduledFor, long now);

  /**
   * Fails an execution for good and records a dead letter for it, in one transaction; a parent
   * waiting for it becomes due.
   *
   * @param lease the lease held
   * @param error the last attempt's error
   * @param now the time of the failure
   * @return {@code false} if the lease was lost (nothing changed)
   */
  boolean fail(Lease lease, String error, long now);

  /**
   * Puts a running execution to sleep without using an attempt: pending, due at {@code wakeAt}, or
   * at once if what it awaits has already happened (checked in the same transaction, so a signal
   * sent while the handler was deciding to wait is not missed).
   *
   * @param lease the lease held
   * @param wakeAt when it becomes due at the latest
   * @param awaiting the event that makes it due earlier, or {@code null}
   * @param now the current time
   * @return {@code false} if the lease was lost (nothing changed)
   */
  boolean suspend(Lease lease, long wakeAt, @Nullable Awaiting awaiting, long now);

  /**
   * Hands a running execution back (a worker shutting down): pending, due now, lease cleared,
   * attempt unchanged.
   *
   * @param lease the lease held
   * @param now the current time
   * @return {@code false} if the lease was lost (nothing changed)
   */
  boolean release(Lease lease, long now);

  /**
   * Writes (or overwrites) the checkpoint of one step.
   *
   * @param lease the lease held
   * @param step the step; its execution must be the lease's
   * @return {@code false} if the lease was lost (nothing written)
   */
  boolean recordStep(Lease lease, StepRecord step);

  /**
   * Takes the oldest unconsumed signal of this name for the leased execution and records it as step
   * {@code sequence} (DONE, outcome = payload), in one transaction.
   *
   * @param lease the lease held
   * @param name the signal name
   * @param sequence the step that consumes it
   * @param stepName the step name to record
   * @param now the current time
   * @return the payload JSON, or empty if there was none or the lease was lost
   */
  Optional<String> consumeSignal(Lease lease, String name, int sequence, String stepName, long now);
}
