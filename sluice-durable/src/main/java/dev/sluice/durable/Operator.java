package dev.sluice.durable;

import dev.sluice.ConfigException;
import dev.sluice.durable.store.DeadLetter;
import dev.sluice.durable.store.ExecutionFilter;
import dev.sluice.durable.store.ExecutionRecord;
import dev.sluice.durable.store.OperatorStore;
import dev.sluice.durable.store.StepRecord;
import dev.sluice.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an operator does with the executions of a store: look them up, list and count them, handle
 * dead letters, cancel, purge what ended long ago. Every time it writes comes from its {@link
 * TimeSource}. The {@code sluice durable} commands are built on it; an application gets the one
 * bound to its engine from {@link Durable#operator()} (whose replays and cancellations wake the
 * engine's workers and waiters at once), and a tool without an engine makes one with {@link #of}.
 *
 * <pre>{@code
 * try (OperatorStore store = SqliteExecutionStore.open(Path.of("sluice.db"))) {
 *   Operator operator = Operator.of(store, TimeSource.system());
 *   for (DeadLetter letter : operator.deadLetters(100, 0)) {
 *     operator.replay(letter.executionId());
 *   }
 *   operator.purgeOlderThan(Duration.ofDays(7), 1_000);
 * }
 * }</pre>
 *
 * <p>Thread-safe; it holds nothing but the store, which its creator closes.
 */
public final class Operator {
  private final OperatorStore store;
  private final TimeSource time;
  private final Runnable madeDue;
  private final Runnable ended;

  Operator(OperatorStore store, TimeSource time, Runnable madeDue, Runnable ended) {
    this.store = Objects.requireNonNull(store, "store");
    this.time = Objects.requireNonNull(time, "time");
    this.madeDue = madeDue;
    this.ended = ended;
  }

  /**
   * An operator over a store, with no engine to tell of its changes (workers of other processes see
   * them at their next poll).
   *
   * @param store the store; the caller closes it
   * @param time the clock of every write
   * @return the operator
   */
  public static Operator of(OperatorStore store, TimeSource time) {
    return new Operator(store, time, () -> {}, () -> {});
  }

  /**
   * Reads one execution as stored: input, result, attempts, lease, times.
   *
   * @param id the execution
   * @return the record, or empty if there is no such execution
   */
  public Optional<ExecutionRecord> find(ExecutionId id) {
    return store.find(Objects.requireNonNull(id, "id"));
  }

  /**
   * The checkpointed steps of an execution, in order.
   *
   * @param id the execution
   * @return its steps; empty if none
   */
  public List<StepRecord> steps(ExecutionId id) {
    return store.steps(Objects.requireNonNull(id, "id"));
  }

  /**
   * Lists executions, newest first, one page.
   *
   * @param filter which executions and which page
   * @return the page
   */
  public List<ExecutionRecord> list(ExecutionFilter filter) {
    return store.list(Objects.requireNonNull(filter, "filter"));
  }

  /**
   * Counts executions by state, in the database.
   *
   * @return a count per state, zero included
   */
  public Map<ExecutionState, Long> counts() {
    return store.countByState();
  }

  /**
   * Counts dead letters, in the database.
   *
   * @return the number of dead letters
   */
  public long deadLetterCount() {
    return store.countDeadLetters();
  }

  /**
   * Lists dead letters, oldest first.
   *
   * @param limit page size, at least 1
   * @param offset rows to skip
   * @return the page
   */
  public List<DeadLetter> deadLetters(int limit, int offset) {
    return store.deadLetters(limit, offset);
  }

  /**
   * Replays a dead letter: its execution starts over (attempt 1, recorded steps kept) now.
   *
   * @param id the failed execution
   * @return {@code false} if it had no dead letter
   */
  public boolean replay(ExecutionId id) {
    boolean replayed = store.replay(Objects.requireNonNull(id, "id"), now());
    if (replayed) {
      madeDue.run();
    }
    return replayed;
  }

  /**
   * Discards a dead letter; the execution stays FAILED.
   *
   * @param id the failed execution
   * @return {@code false} if it had no dead letter
   */
  public boolean discard(ExecutionId id) {
    return store.discard(Objects.requireNonNull(id, "id"));
  }

  /**
   * Cancels an execution that has not ended, and every execution it started that has not ended; see
   * {@link Durable#cancel}.
   *
   * @param id the execution
   * @return {@code true} if it was cancelled now, {@code false} if it had already ended
   * @throws UnknownExecutionException if there is no such execution
   */
  public boolean cancel(ExecutionId id) {
    boolean cancelled = store.cancel(Objects.requireNonNull(id, "id"), now());
    if (!cancelled && store.find(id).isEmpty()) {
      throw new UnknownExecutionException(id);
    }
    ended.run();
    madeDue.run();
    return cancelled;
  }

  /**
   * Deletes executions that ended (COMPLETED, CANCELLED, EXPIRED) longer than {@code age} ago by
   * the time source, with their steps and signals, in batches so no transaction holds the database
   * for long. FAILED executions stay while their dead letter does.
   *
   * @param age how long an ended execution is kept, at least zero
   * @param batchSize executions per transaction, at least 1
   * @return how many executions were deleted
   * @throws ConfigException if {@code age} is negative
   */
  public long purgeOlderThan(Duration age, int batchSize) {
    Objects.requireNonNull(age, "retention age");
    if (age.isNegative()) {
      throw new ConfigException("durable.retention", "must be >= 0", age);
    }
    return purgeEndedBefore(time.now().minus(age), batchSize);
  }

  /**
   * Deletes executions that ended (COMPLETED, CANCELLED, EXPIRED) before a cutoff, as {@link
   * #purgeOlderThan} does.
   *
   * @param cutoff executions that ended before it go
   * @param batchSize executions per transaction, at least 1
   * @return how many executions were deleted
   */
  public long purgeEndedBefore(Instant cutoff, int batchSize) {
    long cutoffMillis = cutoff.toEpochMilli();
    long total = 0;
    int deleted;
    do {
      deleted = store.purgeFinished(cutoffMillis, batchSize);
      total += deleted;
    } while (deleted == batchSize);
    return total;
  }

  private long now() {
    return time.now().toEpochMilli();
  }
}
