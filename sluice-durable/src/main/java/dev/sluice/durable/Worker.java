package dev.sluice.durable;

import dev.sluice.durable.store.ClaimRequest;
import dev.sluice.durable.store.Completion;
import dev.sluice.durable.store.ExecutionRecord;
import dev.sluice.durable.store.ExecutionStore;
import dev.sluice.durable.store.Lease;
import dev.sluice.time.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Claims due executions from the store and runs their handlers, each on its own virtual thread, up
 * to a concurrency limit. Create with {@link Durable#worker(WorkerConfig)}, then {@link #start()};
 * {@link #close()} shuts it down gracefully.
 *
 * <p>While a handler runs, the worker renews its lease every half lease. Every write it makes names
 * the lease (fencing): if the lease was lost meanwhile, the write changes nothing and is logged and
 * counted in {@link #rejectedWrites()}. A heartbeat that is refused tells the running handler,
 * through its context, that the execution was cancelled or lost.
 *
 * <p>{@link WorkerListener}s given in the configuration hear of each claim round and of each run:
 * started, completed, failed (retrying or for good), lease lost, write refused.
 *
 * <p>When idle it polls with a wait that doubles from the poll interval up to the maximum; a
 * dispatch, signal or completion through the same {@link Durable} wakes it at once.
 *
 * <p>Shutdown order: stop claiming; let running handlers finish for up to the grace period; hand
 * the executions still running back to the store (pending, due now, lease cleared) so another
 * worker takes them at once; only then stop the heartbeats, so no lease lapses while its handler
 * may still be running.
 */
public final class Worker implements AutoCloseable {
  private static final System.Logger LOG = Durable.LOG;

  private enum Phase {
    NEW,
    RUNNING,
    STOPPING,
    STOPPED
  }

  private final Durable durable;
  private final WorkerConfig config;
  private final ExecutionStore store;
  private final TimeSource time;
  private final WorkerListeners listeners;
  private final Map<ExecutionId, ExecutionContext> running = new ConcurrentHashMap<>();

  /** Handlers that have not returned yet: what the concurrency limit counts. */
  private final AtomicInteger handlers = new AtomicInteger();

  private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.NEW);
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Condition drained = lock.newCondition();
  private final AtomicLong rejectedWrites = new AtomicLong();
  private final AtomicLong finished = new AtomicLong();
  private boolean wakeRequested;
  private long nextPurge; // poll thread only
  private volatile boolean claiming;
  private Completer completer;
  private Thread poller;
  private Heartbeats heartbeats;

  Worker(Durable durable, WorkerConfig config) {
    this.durable = durable;
    this.config = config;
    this.store = durable.store();
    this.time = durable.timeSource();
    this.listeners = new WorkerListeners(config.workerId(), config.listeners());
  }

  /**
   * Starts claiming and heartbeating.
   *
   * @return this worker
   * @throws IllegalStateException if it was started before, or no task is registered
   */
  public Worker start() {
    if (durable.taskNames().isEmpty()) {
      throw new IllegalStateException(
          "worker " + config.workerId() + " cannot start: no task is registered with the engine");
    }
    if (!phase.compareAndSet(Phase.NEW, Phase.RUNNING)) {
      throw new IllegalStateException("worker " + config.workerId() + " was already started");
    }
    claiming = true;
    nextPurge = time.nanoTime();
    completer = new Completer(store, config.workerId());
    durable.attach(this);
    heartbeats = new Heartbeats(store, time, config, running, this::refused);
    heartbeats.start();
    poller = Thread.ofVirtual().name("sluice-poll-" + config.workerId()).start(this::pollLoop);
    return this;
  }

  /**
   * The worker's id, as written into leases.
   *
   * @return the id
   */
  public String id() {
    return config.workerId();
  }

  /**
   * The configuration.
   *
   * @return the configuration
   */
  public WorkerConfig config() {
    return config;
  }

  /**
   * How many executions are in flight now: handlers running, and handlers returned whose outcome is
   * still being written. At most {@link WorkerConfig#concurrency()} of them are handlers.
   *
   * @return the number of executions in flight
   */
  public int inFlight() {
    return running.size();
  }

  /**
   * How many runs this worker has finished (completed, failed, retried, suspended or handed off).
   *
   * @return the count of finished runs
   */
  public long finishedRuns() {
    return finished.get();
  }

  /**
   * How many writes of this worker were refused because its lease had been lost; each is logged.
   *
   * @return the count of refused writes
   */
  public long rejectedWrites() {
    return rejectedWrites.get();
  }

  /** Asks the poll loop to claim now instead of at the end of its idle wait. */
  void wake() {
    lock.lock();
    try {
      wakeRequested = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  // ---- claiming --------------------------------------------------------------------------

  private void pollLoop() {
    int claimBatch = Math.max(1, config.concurrency() / 4);
    long minIdle = config.pollInterval().toNanos();
    long maxIdle = config.maxPollInterval().toNanos();
    long idle = minIdle;
    while (claiming) {
      // the idle deadline is fixed before claiming: time that passes during the claim counts
      long deadline = time.deadlineAfter(Duration.ofNanos(idle));
      int busy = handlers.get();
      int free = config.concurrency() - busy;
      int claimed = 0;
      // while most slots are busy, wait for a quarter to free up and claim them in one go
      if (free > 0 && (free >= claimBatch || busy < claimBatch)) {
        try {
          claimed = claim(free);
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "worker " + id() + " could not claim; retrying", e);
        }
      }
      if (claimed > 0 && claimed == free) {
        idle = minIdle;
        continue; // there may be more due work
      }
      purgeIfDue();
      boolean woken = awaitWake(deadline);
      idle = woken || claimed > 0 ? minIdle : Math.min(maxIdle, idle * 2);
    }
  }

  private void purgeIfDue() {
    if (config.retention() == null || time.nanoTime() - nextPurge < 0) {
      return;
    }
    nextPurge = time.deadlineAfter(WorkerConfig.PURGE_INTERVAL);
    try {
      long purged =
          durable.operator().purgeOlderThan(config.retention(), WorkerConfig.PURGE_BATCH_SIZE);
      if (purged > 0) {
        LOG.log(
            System.Logger.Level.INFO,
            "worker {0} purged {1} executions that ended more than {2} ago",
            id(),
            purged,
            config.retention());
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "worker " + id() + " could not purge", e);
    }
  }

  private int claim(int free) {
    long began = time.nanoTime();
    List<ExecutionRecord> claimed =
        store.claim(
            new ClaimRequest(
                id(),
                config.queues(),
                durable.taskNames(),
                config.tags(),
                free,
                now(),
                config.lease().toMillis()));
    long took = time.nanoTime() - began;
    for (ExecutionRecord execution : claimed) {
      launch(execution);
    }
    listeners.onClaim(claimed.size(), took);
    return claimed.size();
  }

  private boolean awaitWake(long deadline) {
    lock.lock();
    try {
      while (!wakeRequested && claiming) {
        if (!time.awaitUntil(lock, wake, deadline)) {
          break;
        }
      }
      boolean woken = wakeRequested;
      wakeRequested = false;
      return woken;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      claiming = false;
      return false;
    } finally {
      lock.unlock();
    }
  }

  private void launch(ExecutionRecord execution) {
    ExecutionContext context = new ExecutionContext(durable, execution, this::refused);
    running.put(execution.id(), context);
    handlers.incrementAndGet();
    Task<?, ?> task = durable.task(execution.task());
    Thread.ofVirtual()
        .name("sluice-task-" + execution.id())
        .start(
            () -> {
              try {
                listeners.onStarted(context.run(), dispatchToStartNanos(execution));
                run(task, execution, context);
              } catch (RuntimeException | Error e) {
                LOG.log(
                    System.Logger.Level.ERROR,
                    "worker " + id() + " could not record the run of " + execution.id(),
                    e);
              } finally {
                handlerReturned(context);
                running.remove(execution.id());
                finished.incrementAndGet();
                durable.executionEnded();
                lock.lock();
                try {
                  wakeRequested = true;
                  wake.signalAll();
                  drained.signalAll();
                } finally {
                  lock.unlock();
                }
              }
            });
  }

  // ---- running one execution -------------------------------------------------------------

  /** The claim's start minus the due time, both as stored; see {@link WorkerListener#onStarted}. */
  private long dispatchToStartNanos(ExecutionRecord execution) {
    long started = execution.startedAt() == null ? now() : execution.startedAt();
    long waited = Math.max(0, started - execution.scheduledFor());
    return waited >= Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : waited * 1_000_000;
  }

  /** A fenced write of {@code context}'s run changed nothing: count it and tell the listeners. */
  private void refused(ExecutionContext context, String write, boolean cancelled) {
    rejectedWrites.incrementAndGet();
    if (context.firstLoss()) {
      listeners.onLeaseLost(context.run(), cancelled);
    }
    listeners.onWriteRefused(context.run(), write);
  }

  /**
   * The handler of {@code context} has returned: its slot counts as free for the next claim while
   * its outcome is being written, so claiming and writing outcomes overlap.
   */
  private void handlerReturned(ExecutionContext context) {
    if (context.markFinishing()) {
      handlers.decrementAndGet();
      wake();
    }
  }

  private <I, O> void run(Task<I, O> task, ExecutionRecord execution, ExecutionContext context) {
    Lease lease = context.lease();
    O result;
    try {
      I input = durable.codec().read(execution.inputJson(), task.inputType(), "input of " + lease);
      result = config.policy().call(() -> task.handler().handle(context, input));
    } catch (Suspension suspension) {
      handlerReturned(context);
      suspend(context, suspension);
      return;
    } catch (Exception | Error failure) {
      // an Error from a handler (an assertion, a stack overflow) fails the attempt like an
      // exception; left unrecorded, the execution would crash every worker that claims it
      handlerReturned(context);
      Suspension suspension = context.suspension();
      if (suspension != null) {
        suspend(context, suspension); // the handler wrapped or swallowed it
        return;
      }
      failed(task, execution, context, failure);
      return;
    }
    handlerReturned(context);
    Suspension suspension = context.suspension();
    if (suspension != null) {
      suspend(context, suspension);
      return;
    }
    String json = durable.codec().write(result, "result of " + execution.id());
    if (completer.complete(new Completion(lease, json, now()))) {
      listeners.onCompleted(context.run());
    } else {
      context.rejected("completion");
    }
  }

  private void failed(
      Task<?, ?> task, ExecutionRecord execution, ExecutionContext context, Throwable failure) {
    String error = Retries.describe(failure);
    long now = now();
    long retryAt = Retries.nextAttemptAt(execution, task, failure, now);
    boolean accepted;
    String what;
    if (retryAt >= 0) {
      what = "retry";
      accepted = store.retry(context.lease(), error, retryAt, now);
    } else {
      what = "failure";
      accepted = store.fail(context.lease(), error, now);
    }
    if (!accepted) {
      context.rejected(what);
      return;
    }
    if (retryAt < 0) {
      LOG.log(
          System.Logger.Level.WARNING,
          "execution {0} of task {1} failed on attempt {2} and was dead-lettered: {3}",
          execution.id(),
          task.name(),
          execution.attempt(),
          error);
    }
    listeners.onFailed(context.run(), failure, retryAt >= 0);
  }

  private void suspend(ExecutionContext context, Suspension suspension) {
    if (!store.suspend(context.lease(), suspension.wakeAt, suspension.awaiting, now())) {
      context.rejected("suspension");
    }
    durable.wakeWorkers(); // what it awaits may already be there
  }

  // ---- shutdown --------------------------------------------------------------------------

  /**
   * Shuts down gracefully: stops claiming, waits up to the shutdown grace for running handlers,
   * hands the rest back to the store, and stops heartbeats last. Idempotent.
   */
  @Override
  public void close() {
    if (phase.compareAndSet(Phase.NEW, Phase.STOPPED)) {
      return;
    }
    if (!phase.compareAndSet(Phase.RUNNING, Phase.STOPPING)) {
      return;
    }
    claiming = false;
    wake();
    join(poller);
    drain();
    for (ExecutionContext context : running.values()) {
      context.markHandedBack();
      try {
        if (store.release(context.lease(), now())) {
          LOG.log(
              System.Logger.Level.INFO,
              "worker {0} handed execution {1} back at shutdown",
              id(),
              context.executionId());
        }
      } catch (RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "worker " + id() + " could not hand back " + context.executionId(),
            e);
      }
    }
    completer.stop();
    // last: a lease must not lapse while its handler may still be running
    heartbeats.stop();
    durable.detach(this);
    phase.set(Phase.STOPPED);
  }

  private void drain() {
    lock.lock();
    try {
      long deadline = time.deadlineAfter(config.shutdownGrace());
      while (!running.isEmpty()) {
        if (!time.awaitUntil(lock, drained, deadline)) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long now() {
    return time.now().toEpochMilli();
  }

  @Override
  public String toString() {
    return "Worker[" + id() + ", " + phase.get() + ", in flight " + running.size() + "]";
  }
}
