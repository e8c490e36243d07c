package dev.sluice.durable;

import dev.sluice.internal.ListenerFanout;
import java.util.List;

/**
 * Tells every listener of a worker about an event. A listener that throws is logged, the first time
 * at {@code WARNING} with its stack trace and later at {@code DEBUG}, and skipped: it never breaks
 * the worker.
 */
final class WorkerListeners implements WorkerListener {
  private final ListenerFanout<WorkerListener> fanout;

  WorkerListeners(String workerId, List<WorkerListener> listeners) {
    this.fanout = new ListenerFanout<>(Durable.LOG, "worker " + workerId, listeners);
  }

  boolean isEmpty() {
    return fanout.isEmpty();
  }

  @Override
  public void onClaim(int claimed, long claimNanos) {
    fanout.tell("onClaim", l -> l.onClaim(claimed, claimNanos));
  }

  @Override
  public void onStarted(ExecutionRun run, long dispatchToStartNanos) {
    fanout.tell("onStarted", l -> l.onStarted(run, dispatchToStartNanos));
  }

  @Override
  public void onCompleted(ExecutionRun run) {
    fanout.tell("onCompleted", l -> l.onCompleted(run));
  }

  @Override
  public void onFailed(ExecutionRun run, Throwable failure, boolean retrying) {
    fanout.tell("onFailed", l -> l.onFailed(run, failure, retrying));
  }

  @Override
  public void onLeaseLost(ExecutionRun run, boolean cancelled) {
    fanout.tell("onLeaseLost", l -> l.onLeaseLost(run, cancelled));
  }

  @Override
  public void onWriteRefused(ExecutionRun run, String write) {
    fanout.tell("onWriteRefused", l -> l.onWriteRefused(run, write));
  }
}
