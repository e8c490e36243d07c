package dev.sluice.durable.store;

import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionState;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where executions, their steps, signals and dead letters live. The engine ({@link
 * dev.sluice.durable.Durable} and its workers) talks only to this interface, so SQLite and
 * PostgreSQL stores behave the same.
 *
 * <p>Rules every implementation keeps:
 *
 * <ul>
 *   <li>Times are UTC epoch milliseconds. Methods take the caller's {@code now}; a store that has
 *       its own authoritative clock (a database server) may compare against that instead.
 *   <li><b>Fencing.</b> Every method taking a {@link Lease} changes the execution only if it is
 *       still {@code running} under the lease's fence; otherwise it changes nothing and returns
 *       {@code false} (or empty). A terminal state is never left by a fenced write.
 *   <li><b>Atomicity.</b> Each method is one transaction: a failure with its dead letter, a
 *       consumed signal with its checkpoint, a completion with the wake-up of a waiting parent.
 *   <li><b>Presence by row.</b> A stored result or step outcome of {@code null}, {@code 0}, {@code
 *       false}, {@code ""}, {@code []} or {@code {}} is present; absence is the absence of a row or
 *       a non-terminal state, never an empty value.
 *   <li><b>Counts by query.</b> {@link #countByState()} and {@link #countDeadLetters()} count in
 *       the database; they never list rows.
 * </ul>
 *
 * <p>Implementations are safe for concurrent use by many threads and, through the database, by many
 * processes.
 */
public interface ExecutionStore extends AutoCloseable {

  /**
   * Inserts an execution, unless one with the same id, or the same task and idempotency key,
   * exists; then returns that one.
   *
   * @param execution the execution to insert
   * @return the id and whether it was created
   */
  Dispatched dispatch(NewExecution execution);

  /**
   * Inserts many executions in one transaction, each as {@link #dispatch} would.
   *
   * @param executions the executions to insert
   * @return one result per execution, in order
   */
  List<Dispatched> dispatchAll(List<NewExecution> executions);

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
  boolean suspend(Lease lease, long wakeAt, Awaiting awaiting, long now);

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
   * The checkpointed steps of an execution, in sequence order.
   *
   * @param executionId the execution
   * @return its steps; empty if none
   */
  List<StepRecord> steps(ExecutionId executionId);

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

  /**
   * Buffers a signal for an execution until a handler consumes it, and makes the execution due at
   * once if it is suspended waiting for this signal.
   *
   * @param executionId the receiver
   * @param name the signal name
   * @param payloadJson the payload as JSON
   * @param now the current time
   * @return {@code false} if no such execution exists (nothing stored)
   */
  boolean send(ExecutionId executionId, String name, String payloadJson, long now);

  /**
   * Cancels a pending or running execution, and with it every pending or running execution it
   * started (its children, theirs, and so on), in one transaction. Terminal: no later write moves
   * them. An execution that has already ended is left alone, and so are its children.
   *
   * @param executionId the execution
   * @param now the current time
   * @return {@code true} if it was live and is now cancelled
   */
  boolean cancel(ExecutionId executionId, long now);

  /**
   * Reads one execution.
   *
   * @param executionId the execution
   * @return the record, or empty if none exists
   */
  Optional<ExecutionRecord> find(ExecutionId executionId);

  /**
   * Lists executions, newest first, one page.
   *
   * @param filter which executions and which page
   * @return the page
   */
  List<ExecutionRecord> list(ExecutionFilter filter);

  /**
   * Counts executions by state with one aggregate query.
   *
   * @return a count for every state, zero included
   */
  Map<ExecutionState, Long> countByState();

  /**
   * Counts dead letters with one aggregate query.
   *
   * @return the number of dead letters
   */
  long countDeadLetters();

  /**
   * Lists dead letters, oldest first.
   *
   * @param limit page size, at least 1
   * @param offset rows to skip
   * @return the page
   */
  List<DeadLetter> deadLetters(int limit, int offset);

  /**
   * Replays a dead letter: removes it and puts its execution back to pending, attempt 1, due now.
   *
   * @param executionId the failed execution
   * @param now the current time
   * @return {@code false} if there was no such dead letter
   */
  boolean replay(ExecutionId executionId, long now);

  /**
   * Discards a dead letter; the execution stays FAILED.
   *
   * @param executionId the failed execution
   * @return {@code false} if there was no such dead letter
   */
  boolean discard(ExecutionId executionId);

  /**
   * Deletes one batch of executions that ended (COMPLETED, CANCELLED or EXPIRED) before a cutoff,
   * with their steps and signals. FAILED executions stay while their dead letter does.
   *
   * @param finishedBefore the cutoff, UTC epoch milliseconds
   * @param batchSize the most executions to delete, at least 1
   * @return how many executions were deleted; less than {@code batchSize} means done
   */
  int purgeFinished(long finishedBefore, int batchSize);

  /** Releases the store's connections. Idempotent. */
  @Override
  void close();
}
