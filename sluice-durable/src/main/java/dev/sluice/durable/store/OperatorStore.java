package dev.sluice.durable.store;

import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionState;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an operator needs of an {@link ExecutionStore}: finding and listing executions and their
 * recorded steps, counting them by state (in the database, never by listing), dead letters (list,
 * replay, discard), cancellation and purging. The {@code sluice durable} commands need nothing
 * else.
 */
public interface OperatorStore extends AutoCloseable {

  /**
   * The checkpointed steps of an execution, in sequence order.
   *
   * @param executionId the execution
   * @return its steps; empty if none
   */
  List<StepRecord> steps(ExecutionId executionId);

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
