package dev.sluice.durable;

import dev.sluice.durable.store.ExecutionStore;
import dev.sluice.time.TimeSource;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A worker's heartbeats: every heartbeat interval, renews the lease of each execution it runs. A
 * renewal the store refuses (the execution was cancelled, or its lease lost to another worker)
 * marks the run so its handler is told, and is reported as a refused write.
 */
final class Heartbeats {
  private static final System.Logger LOG = Durable.LOG;

  /** Hears a renewal the store refused. */
  interface Refusals {
    void refused(ExecutionContext context, String write, boolean cancelled);
  }

  private final ExecutionStore store;
  private final TimeSource time;
  private final WorkerConfig config;
  private final Map<ExecutionId, ExecutionContext> running;
  private final Refusals refusals;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition beat = lock.newCondition();
  private volatile boolean beating;
  private Thread thread;

  Heartbeats(
      ExecutionStore store,
      TimeSource time,
      WorkerConfig config,
      Map<ExecutionId, ExecutionContext> running,
      Refusals refusals) {
    this.store = store;
    this.time = time;
    this.config = config;
    this.running = running;
    this.refusals = refusals;
  }

  void start() {
    beating = true;
    thread = Thread.ofVirtual().name("sluice-heartbeat-" + config.workerId()).start(this::loop);
  }

  /** Stops beating and waits for the last renewal to end. */
  void stop() {
    beating = false;
    lock.lock();
    try {
      beat.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    Duration interval = config.heartbeatInterval();
    while (beating) {
      lock.lock();
      try {
        long deadline = time.deadlineAfter(interval);
        while (beating) {
          if (!time.awaitUntil(lock, beat, deadline)) {
            break;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        lock.unlock();
      }
      if (beating) {
        renew();
      }
    }
  }

  private void renew() {
    long until = time.now().toEpochMilli() + config.lease().toMillis();
    for (ExecutionContext context : running.values()) {
      if (context.isLost() || context.isFinishing()) {
        continue;
      }
      try {
        if (!store.heartbeat(context.lease(), until) && !context.isFinishing()) {
          boolean cancelled =
              store
                  .find(context.executionId())
                  .map(e -> e.state() == ExecutionState.CANCELLED)
                  .orElse(false);
          if (cancelled) {
            context.markCancelled();
          } else {
            context.markLost();
          }
          LOG.log(
              System.Logger.Level.WARNING,
              "heartbeat refused for lease {0}: the execution was {1}; its handler is told",
              context.lease(),
              cancelled ? "cancelled" : "lost to another worker or ended");
          refusals.refused(context, "heartbeat", cancelled);
        }
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "heartbeat of " + context.lease() + " failed", e);
      }
    }
  }
}
