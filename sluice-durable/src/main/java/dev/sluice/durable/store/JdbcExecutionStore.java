package dev.sluice.durable.store;

import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one JDBC engine behind both stores: each concern is a class of its own ({@link Dispatches},
 * {@link Claims}, {@link FencedWrites}, {@link StepsAndSignals}, {@link Operations}, {@link
 * Reports}) over a {@link Database} (connections and transactions) and a {@link Dialect} (what the
 * SQL of each database spells differently). The public stores add how they are opened.
 */
abstract sealed class JdbcExecutionStore implements ExecutionStore
    permits SqliteExecutionStore, PostgresExecutionStore {
  private final Database db;
  private final Dispatches dispatches;
  private final Claims claims;
  private final FencedWrites writes;
  private final StepsAndSignals steps;
  private final Operations operations;
  private final Reports reports;

  JdbcExecutionStore(Database db, Dialect dialect, Claims claims, FencedWrites writes) {
    this.db = db;
    this.claims = claims;
    this.writes = writes;
    Ends ends = new Ends(dialect);
    this.dispatches = new Dispatches(db, dialect);
    this.steps = new StepsAndSignals(db, dialect);
    this.operations = new Operations(db, dialect, ends);
    this.reports = new Reports(db, dialect);
  }

  @Override
  public Dispatched dispatch(NewExecution execution) {
    return dispatches.dispatch(execution);
  }

  @Override
  public List<Dispatched> dispatchAll(List<NewExecution> executions) {
    return dispatches.dispatchAll(executions);
  }

  @Override
  public List<ExecutionRecord> claim(ClaimRequest request) {
    return claims.claim(request);
  }

  @Override
  public boolean heartbeat(Lease lease, long leaseExpiresAt) {
    return writes.heartbeat(lease, leaseExpiresAt);
  }

  @Override
  public boolean complete(Lease lease, String resultJson, long now) {
    return writes.complete(lease, resultJson, now);
  }

  @Override
  public List<Boolean> completeAll(List<Completion> completions) {
    return writes.completeAll(completions);
  }

  @Override
  public boolean retry(Lease lease, String error, long scheduledFor, long now) {
    return writes.retry(lease, error, scheduledFor, now);
  }

  @Override
  public boolean fail(Lease lease, String error, long now) {
    return writes.fail(lease, error, now);
  }

  @Override
  public boolean suspend(Lease lease, long wakeAt, @Nullable Awaiting awaiting, long now) {
    return writes.suspend(lease, wakeAt, awaiting, now);
  }

  @Override
  public boolean release(Lease lease, long now) {
    return writes.release(lease, now);
  }

  @Override
  public List<StepRecord> steps(ExecutionId executionId) {
    return steps.steps(executionId);
  }

  @Override
  public boolean recordStep(Lease lease, StepRecord step) {
    return steps.recordStep(lease, step);
  }

  @Override
  public Optional<String> consumeSignal(
      Lease lease, String name, int sequence, String stepName, long now) {
    return steps.consumeSignal(lease, name, sequence, stepName, now);
  }

  @Override
  public boolean send(ExecutionId executionId, String name, String payloadJson, long now) {
    return steps.send(executionId, name, payloadJson, now);
  }

  @Override
  public boolean cancel(ExecutionId executionId, long now) {
    return operations.cancel(executionId, now);
  }

  @Override
  public Optional<ExecutionRecord> find(ExecutionId executionId) {
    return reports.find(executionId);
  }

  @Override
  public List<ExecutionRecord> list(ExecutionFilter filter) {
    return reports.list(filter);
  }

  @Override
  public Map<ExecutionState, Long> countByState() {
    return reports.countByState();
  }

  @Override
  public long countDeadLetters() {
    return reports.countDeadLetters();
  }

  @Override
  public List<DeadLetter> deadLetters(int limit, int offset) {
    return reports.deadLetters(limit, offset);
  }

  @Override
  public boolean replay(ExecutionId executionId, long now) {
    return operations.replay(executionId, now);
  }

  @Override
  public boolean discard(ExecutionId executionId) {
    return operations.discard(executionId);
  }

  @Override
  public int purgeFinished(long finishedBefore, int batchSize) {
    return operations.purgeFinished(finishedBefore, batchSize);
  }

  /** Runs work in one transaction of this store's database; for the stores' own extras. */
  final <T> T transaction(String what, SqlWork<T> work) {
    return db.transaction(what, work);
  }

  @Override
  public void close() {
    db.close();
  }
}
