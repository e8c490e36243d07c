package dev.sluice.durable;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells every listener of a worker about an event. A listener that throws is logged, the first time
 * at {@code WARNING} with its stack trace and later at {@code DEBUG}, and skipped: it never breaks
 * the worker.
 */
final class WorkerListeners implements WorkerListener {
  private static final System.Logger LOG = Durable.LOG;

  private final String workerId;
  private final WorkerListener[] listeners;
  private final AtomicBoolean[] failed;

  WorkerListeners(String workerId, List<WorkerListener> listeners) {
    this.workerId = workerId;
    this.listeners = listeners.toArray(WorkerListener[]::new);
    this.failed = new AtomicBoolean[this.listeners.length];
    for (int i = 0; i < failed.length; i++) {
      failed[i] = new AtomicBoolean();
    }
  }

  boolean isEmpty() {
    return listeners.length == 0;
  }

  @Override
  public void onClaim(int claimed, long claimNanos) {
    for (int i = 0; i < listeners.length; i++) {
      try {
        listeners[i].onClaim(claimed, claimNanos);
      } catch (RuntimeException | Error e) {
        threw(i, "onClaim", e);
      }
    }
  }

  @Override
  public void onStarted(ExecutionRun run, long dispatchToStartNanos) {
    for (int i = 0; i < listeners.length; i++) {
      try {
        listeners[i].onStarted(run, dispatchToStartNanos);
      } catch (RuntimeException | Error e) {
        threw(i, "onStarted", e);
      }
    }
  }

  @Override
  public void onCompleted(ExecutionRun run) {
    for (int i = 0; i < listeners.length; i++) {
      try {
        listeners[i].onCompleted(run);
      } catch (RuntimeException | Error e) {
        threw(i, "onCompleted", e);
      }
    }
  }

  @Override
  public void onFailed(ExecutionRun run, Throwable failure, boolean retrying) {
    for (int i = 0; i < listeners.length; i++) {
      try {
        listeners[i].onFailed(run, failure, retrying);
      } catch (RuntimeException | Error e) {
        threw(i, "onFailed", e);
      }
    }
  }

  @Override
  public void onLeaseLost(ExecutionRun run, boolean cancelled) {
    for (int i = 0; i < listeners.length; i++) {
      try {
        listeners[i].onLeaseLost(run, cancelled);
      } catch (RuntimeException | Error e) {
        threw(i, "onLeaseLost", e);
      }
    }
  }

  @Override
  public void onWriteRefused(ExecutionRun run, String write) {
    for (int i = 0; i < listeners.length; i++) {
      try {
        listeners[i].onWriteRefused(run, write);
      } catch (RuntimeException | Error e) {
        threw(i, "onWriteRefused", e);
      }
    }
  }

  private void threw(int index, String event, Throwable e) {
    WorkerListener listener = listeners[index];
    if (failed[index].compareAndSet(false, true)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "worker "
              + workerId
              + ": listener "
              + listener
              + " threw in "
              + event
              + "; ignored (later throws of this listener are logged at DEBUG)",
          e);
    } else {
      LOG.log(
          System.Logger.Level.DEBUG,
          "worker {0}: listener {1} threw in {2}: {3}",
          workerId,
          listener,
          event,
          e);
    }
  }
}
