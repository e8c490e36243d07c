package dev.sluice.durable;

import dev.sluice.durable.store.Awaiting;
import dev.sluice.durable.store.ExecutionRecord;
import dev.sluice.durable.store.ExecutionStore;
import dev.sluice.durable.store.Lease;
import dev.sluice.durable.store.NewExecution;
import dev.sluice.durable.store.StepKind;
import dev.sluice.durable.store.StepRecord;
import dev.sluice.durable.store.StepStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The {@link TaskContext} of one run of one execution under one lease. Used by the handler's
 * thread; the worker's heartbeat flags cancellation and lease loss from another thread.
 */
final class ExecutionContext implements TaskContext {
  /** How long a parent waits for a child before looking again, if no wake-up comes. */
  static final Duration CHILD_RECHECK = Duration.ofMinutes(1);

  /** Hears of each fenced write of a run that was refused: the worker counts and reports it. */
  @FunctionalInterface
  interface Refusals {
    /**
     * A write naming the context's lease changed nothing.
     *
     * @param context the run's context
     * @param write what was refused, from a bounded set ({@code checkpoint}, {@code completion}
     *     ...)
     * @param cancelled whether the execution was found cancelled
     */
    void refused(ExecutionContext context, String write, boolean cancelled);
  }

  private final Durable durable;
  private final ExecutionStore store;
  private final ExecutionRecord execution;
  private final Lease lease;
  private final ExecutionRun run;
  private final Refusals refusals;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final AtomicBoolean lost = new AtomicBoolean();
  private final AtomicBoolean lossReported = new AtomicBoolean();
  private final AtomicBoolean finishing = new AtomicBoolean();
  private volatile Suspension suspension;
  private Map<Integer, StepRecord> recorded;
  private int sequence;

  ExecutionContext(Durable durable, ExecutionRecord execution, Refusals refusals) {
    this.durable = durable;
    this.store = durable.store();
    this.execution = execution;
    this.lease = execution.lease();
    this.run =
        new ExecutionRun(execution.id(), execution.task(), execution.queue(), execution.attempt());
    this.refusals = refusals;
  }

  Lease lease() {
    return lease;
  }

  ExecutionRun run() {
    return run;
  }

  /**
   * Claims the one report of this run's lease loss.
   *
   * @return {@code true} the first time, {@code false} after (or once handed back)
   */
  boolean firstLoss() {
    return lossReported.compareAndSet(false, true);
  }

  /** The worker gives the lease up at shutdown: lost to the handler, but no loss to report. */
  void markHandedBack() {
    lossReported.set(true);
    lost.set(true);
  }

  Suspension suspension() {
    return suspension;
  }

  void markCancelled() {
    cancelled.set(true);
  }

  /**
   * The handler has returned; its final write is under way and reports its own refusal.
   *
   * @return whether this call marked it (false if it was marked before)
   */
  boolean markFinishing() {
    return finishing.compareAndSet(false, true);
  }

  boolean isFinishing() {
    return finishing.get();
  }

  void markLost() {
    lost.set(true);
  }

  boolean isLost() {
    return lost.get();
  }

  @Override
  public ExecutionId executionId() {
    return execution.id();
  }

  @Override
  public int attempt() {
    return execution.attempt();
  }

  @Override
  public boolean isCancelled() {
    return cancelled.get();
  }

  @Override
  public <T> @Nullable T step(String name, Class<T> type, StepBody<T> body) throws Exception {
    Objects.requireNonNull(name, "step name");
    Objects.requireNonNull(type, "step type");
    Objects.requireNonNull(body, "step body");
    StepRecord previous = next(name, StepKind.STEP);
    if (previous != null && previous.status() == StepStatus.DONE) {
      return durable.codec().read(previous.outcomeJson(), type, describe("result of step", name));
    }
    T value = body.run();
    String json = durable.codec().write(value, describe("result of step", name));
    record(name, StepKind.STEP, StepStatus.DONE, json, null);
    return value;
  }

  @Override
  public <I, O> O call(Task<I, O> task, I input) {
    Objects.requireNonNull(task, "task");
    StepRecord previous = next(task.name(), StepKind.CALL);
    if (previous != null && previous.status() == StepStatus.DONE) {
      return durable
          .codec()
          .read(previous.outcomeJson(), task.outputType(), describe("result of call", task.name()));
    }
    ExecutionId childId = execution.id().child(sequence);
    long now = now();
    store.dispatch(
        new NewExecution(
            childId,
            task.name(),
            execution.queue(),
            List.of(),
            execution.priority(),
            durable.codec().write(input, "input of child " + childId),
            null,
            execution.id(),
            task.retryPolicy() == null ? 1 : task.retryPolicy().schedule().maxAttempts(),
            task.retryPolicy() == null
                ? null
                : RetryScheduleJson.write(task.retryPolicy().schedule()),
            now,
            now,
            null));
    durable.wakeWorkers();
    ExecutionRecord child =
        store.find(childId).orElseThrow(() -> new UnknownExecutionException(childId));
    if (child.state() == ExecutionState.COMPLETED) {
      record(task.name(), StepKind.CALL, StepStatus.DONE, child.resultJson(), null);
      return durable.codec().read(child.resultJson(), task.outputType(), "result of " + childId);
    }
    if (child.state().isTerminal()) {
      return new Outcome<O>(childId, child.state(), null, child.error()).get();
    }
    throw suspend(now + CHILD_RECHECK.toMillis(), Awaiting.child(childId));
  }

  @Override
  public void sleep(Duration duration) {
    requireNotNegative("sleep duration", duration);
    StepRecord previous = next("sleep", StepKind.SLEEP);
    long deadline;
    if (previous == null) {
      deadline = saturatedDeadline(duration);
      record("sleep", StepKind.SLEEP, StepStatus.WAITING, null, deadline);
    } else {
      deadline = previous.deadline();
    }
    if (now() < deadline) {
      throw suspend(deadline, null);
    }
  }

  @Override
  public <T> @Nullable T awaitSignal(String name, Class<T> type, Duration timeout) {
    Objects.requireNonNull(name, "signal name");
    Objects.requireNonNull(type, "signal type");
    requireNotNegative("signal timeout", timeout);
    String stepName = "signal:" + name;
    StepRecord previous = next(stepName, StepKind.SIGNAL);
    if (previous != null && previous.status() == StepStatus.DONE) {
      return durable.codec().read(previous.outcomeJson(), type, describe("signal", name));
    }
    if (previous != null && previous.status() == StepStatus.EXPIRED) {
      throw signalExpired(name, previous.deadline());
    }
    long deadline;
    if (previous == null) {
      deadline = saturatedDeadline(timeout);
      record(stepName, StepKind.SIGNAL, StepStatus.WAITING, null, deadline);
    } else {
      deadline = previous.deadline();
    }
    long now = now();
    Optional<String> payload = store.consumeSignal(lease, name, sequence, stepName, now);
    if (payload.isPresent()) {
      return durable.codec().read(payload.get(), type, describe("signal", name));
    }
    checkLive();
    if (now >= deadline) {
      record(stepName, StepKind.SIGNAL, StepStatus.EXPIRED, null, deadline);
      throw signalExpired(name, deadline);
    }
    throw suspend(deadline, Awaiting.signal(name));
  }

  private ExpiryException signalExpired(String name, long deadline) {
    return new ExpiryException(
        "execution "
            + execution.id()
            + " waited for signal \""
            + name
            + "\" until "
            + java.time.Instant.ofEpochMilli(deadline)
            + " and none came");
  }

  private StepRecord next(String name, StepKind kind) {
    checkLive();
    sequence++;
    if (recorded == null) {
      recorded = new HashMap<>();
      for (StepRecord step : store.steps(execution.id())) {
        recorded.put(step.sequence(), step);
      }
    }
    StepRecord previous = recorded.get(sequence);
    if (previous != null && (!previous.name().equals(name) || previous.kind() != kind)) {
      throw new DurableException(
          "execution "
              + execution.id()
              + ": context call "
              + sequence
              + " was "
              + previous.kind()
              + " \""
              + previous.name()
              + "\" when recorded and is "
              + kind
              + " \""
              + name
              + "\" now; a handler must make the same context calls in the same order on every"
              + " run");
    }
    return previous;
  }

  private void record(String name, StepKind kind, StepStatus status, String json, Long deadline) {
    StepRecord step =
        new StepRecord(execution.id(), sequence, name, kind, status, json, deadline, now());
    if (!store.recordStep(lease, step)) {
      throw rejected(
          "checkpoint", "checkpoint of " + kind + " \"" + name + "\" (call " + sequence + ")");
    }
    recorded.put(sequence, step);
  }

  /** A final write (completion, retry, failure, suspension) changed nothing; see below. */
  RuntimeException rejected(String write) {
    return rejected(write, write);
  }

  /**
   * A fenced write changed nothing: find out why, report it, and stop the handler.
   *
   * @param write what was refused, from a bounded set, for the worker's listeners
   * @param what the same, in detail, for the log
   */
  RuntimeException rejected(String write, String what) {
    lost.set(true);
    boolean wasCancelled =
        store
            .find(execution.id())
            .map(current -> current.state() == ExecutionState.CANCELLED)
            .orElse(false);
    refusals.refused(this, write, wasCancelled);
    Durable.LOG.log(
        System.Logger.Level.WARNING,
        "{0} refused for execution {1}: lease {2} is no longer held{3}; nothing was changed",
        what,
        execution.id(),
        lease,
        wasCancelled ? " (the execution was cancelled)" : "");
    if (wasCancelled) {
      cancelled.set(true);
      return new CancelledException(execution.id());
    }
    return new LeaseLostException(
        what + " refused: lease " + lease + " on execution " + execution.id() + " was lost");
  }

  private void checkLive() {
    Suspension pending = suspension;
    if (pending != null) {
      throw pending;
    }
    if (cancelled.get()) {
      throw new CancelledException(execution.id());
    }
    if (lost.get()) {
      throw new LeaseLostException(
          "lease " + lease + " on execution " + execution.id() + " was lost");
    }
  }

  private Suspension suspend(long wakeAt, Awaiting awaiting) {
    Suspension s = new Suspension(wakeAt, awaiting);
    suspension = s;
    return s;
  }

  private long now() {
    return durable.timeSource().now().toEpochMilli();
  }

  private long saturatedDeadline(Duration duration) {
    long millis;
    try {
      millis = duration.toMillis();
    } catch (ArithmeticException tooLong) {
      millis = Long.MAX_VALUE;
    }
    long now = now();
    return millis > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + millis;
  }

  private static void requireNotNegative(String what, Duration duration) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative()) {
      throw new IllegalArgumentException(what + " must be >= 0, was " + duration);
    }
  }

  private String describe(String what, String name) {
    return what + " \"" + name + "\" of execution " + execution.id();
  }
}
