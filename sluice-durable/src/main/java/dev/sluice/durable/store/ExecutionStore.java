package dev.sluice.durable.store;

import dev.sluice.durable.ExecutionId;
import java.util.List;

/**
 * Where executions, their steps, signals and dead letters live. The engine ({@link
 * dev.sluice.durable.Durable} and its workers) talks only to this interface, so SQLite and
 * PostgreSQL stores behave the same. It is two halves and what the engine adds to them: {@link
 * WorkerStore} (claims and fenced writes) and {@link OperatorStore} (find, list, counts, dead
 * letters, cancel, purge); here are dispatching, signalling and closing.
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
public interface ExecutionStore extends WorkerStore, OperatorStore {

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

  /** Releases the store's connections. Idempotent. */
  @Override
  void close();
}
