package dev.sluice.durable;

import dev.sluice.durable.store.Awaiting;
import dev.sluice.durable.store.ClaimRequest;
import dev.sluice.durable.store.DeadLetter;
import dev.sluice.durable.store.Dispatched;
import dev.sluice.durable.store.ExecutionFilter;
import dev.sluice.durable.store.ExecutionRecord;
import dev.sluice.durable.store.ExecutionStore;
import dev.sluice.durable.store.Lease;
import dev.sluice.durable.store.NewExecution;
import dev.sluice.durable.store.StepRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store whose heartbeats never reach the database while {@code frozen}: the worker above it
 * behaves like a process that stopped (a crash, a long GC pause, a partition) while its handler is
 * stuck, and its lease expires for everyone else.
 */
final class HeartbeatSwallowingStore implements ExecutionStore {
  private final ExecutionStore delegate;
  final AtomicInteger heartbeats = new AtomicInteger();
  volatile boolean frozen = true;

  HeartbeatSwallowingStore(ExecutionStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public boolean heartbeat(Lease lease, long leaseExpiresAt) {
    heartbeats.incrementAndGet();
    return frozen || delegate.heartbeat(lease, leaseExpiresAt);
  }

  @Override
  public Dispatched dispatch(NewExecution execution) {
    return delegate.dispatch(execution);
  }

  @Override
  public List<Dispatched> dispatchAll(List<NewExecution> executions) {
    return delegate.dispatchAll(executions);
  }

  @Override
  public List<ExecutionRecord> claim(ClaimRequest request) {
    return delegate.claim(request);
  }

  @Override
  public boolean complete(Lease lease, String resultJson, long now) {
    return delegate.complete(lease, resultJson, now);
  }

  @Override
  public boolean retry(Lease lease, String error, long scheduledFor, long now) {
    return delegate.retry(lease, error, scheduledFor, now);
  }

  @Override
  public boolean fail(Lease lease, String error, long now) {
    return delegate.fail(lease, error, now);
  }

  @Override
  public boolean suspend(Lease lease, long wakeAt, Awaiting awaiting, long now) {
    return delegate.suspend(lease, wakeAt, awaiting, now);
  }

  @Override
  public boolean release(Lease lease, long now) {
    return delegate.release(lease, now);
  }

  @Override
  public List<StepRecord> steps(ExecutionId executionId) {
    return delegate.steps(executionId);
  }

  @Override
  public boolean recordStep(Lease lease, StepRecord step) {
    return delegate.recordStep(lease, step);
  }

  @Override
  public Optional<String> consumeSignal(
      Lease lease, String name, int sequence, String stepName, long now) {
    return delegate.consumeSignal(lease, name, sequence, stepName, now);
  }

  @Override
  public boolean send(ExecutionId executionId, String name, String payloadJson, long now) {
    return delegate.send(executionId, name, payloadJson, now);
  }

  @Override
  public boolean cancel(ExecutionId executionId, long now) {
    return delegate.cancel(executionId, now);
  }

  @Override
  public Optional<ExecutionRecord> find(ExecutionId executionId) {
    return delegate.find(executionId);
  }

  @Override
  public List<ExecutionRecord> list(ExecutionFilter filter) {
    return delegate.list(filter);
  }

  @Override
  public Map<ExecutionState, Long> countByState() {
    return delegate.countByState();
  }

  @Override
  public long countDeadLetters() {
    return delegate.countDeadLetters();
  }

  @Override
  public List<DeadLetter> deadLetters(int limit, int offset) {
    return delegate.deadLetters(limit, offset);
  }

  @Override
  public boolean replay(ExecutionId executionId, long now) {
    return delegate.replay(executionId, now);
  }

  @Override
  public boolean discard(ExecutionId executionId) {
    return delegate.discard(executionId);
  }

  @Override
  public int purgeFinished(long finishedBefore, int batchSize) {
    return delegate.purgeFinished(finishedBefore, batchSize);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
