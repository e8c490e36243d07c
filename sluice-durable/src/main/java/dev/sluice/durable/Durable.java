package dev.sluice.durable;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.durable.store.Dispatched;
import dev.sluice.durable.store.ExecutionRecord;
import dev.sluice.durable.store.ExecutionStore;
import dev.sluice.durable.store.NewExecution;
import dev.sluice.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The durable execution engine: dispatch tasks, wait for their results, signal and cancel them, and
 * run them with {@link Worker}s. Executions, their checkpointed steps, signals and dead letters
 * live in an {@link ExecutionStore}, so they survive the process.
 *
 * <pre>{@code
 * try (ExecutionStore store = SqliteExecutionStore.open(Path.of("sluice.db"))) {
 *   Durable durable = Durable.builder().store(store).build();
 *   Task<String, Integer> length = durable.register(
 *       Task.of("length", String.class, Integer.class, (ctx, s) -> s.length()));
 *   try (Worker worker = durable.worker(WorkerConfig.builder().build()).start()) {
 *     ExecutionId id = durable.dispatch(length, "hello");
 *     int n = durable.waitFor(id, Integer.class, Duration.ofSeconds(5));
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safe. All times come from the injected {@link TimeSource} and are stored as UTC epoch
 * milliseconds.
 */
public final class Durable {
  static final System.Logger LOG = System.getLogger(Durable.class.getName());

  private final ExecutionStore store;
  private final TimeSource time;
  private final JsonCodec codec;
  private final Duration waitPollInterval;
  private final Duration maxWaitPollInterval;
  private final Map<String, Task<?, ?>> tasks = new ConcurrentHashMap<>();
  private final List<Worker> workers = new CopyOnWriteArrayList<>();
  private final ReentrantLock changes = new ReentrantLock();
  private final Condition changed = changes.newCondition();
  private final AtomicLong generation = new AtomicLong();
  private final Operator operator;
  private final NewExecutions newExecutions;

  private Durable(Builder builder) {
    this.store = builder.store;
    this.time = builder.time;
    this.codec = new JsonCodec(builder.mapper);
    this.waitPollInterval = builder.waitPollInterval;
    this.maxWaitPollInterval = builder.maxWaitPollInterval;
    this.operator = new Operator(store, time, this::wakeWorkers, this::executionEnded);
    this.newExecutions = new NewExecutions(time, codec);
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---- tasks -----------------------------------------------------------------------------

  /**
   * Registers a task so that workers of this engine run it.
   *
   * @param task the task
   * @param <I> the input type
   * @param <O> the output type
   * @return the task, for assignment
   * @throws IllegalArgumentException if another task with the same name is registered
   */
  public <I, O> Task<I, O> register(Task<I, O> task) {
    Objects.requireNonNull(task, "task");
    Task<?, ?> existing = tasks.putIfAbsent(task.name(), task);
    if (existing != null && existing != task) {
      throw new IllegalArgumentException(
          "task name \"" + task.name() + "\" is already registered to another task");
    }
    return task;
  }

  Task<?, ?> task(String name) {
    Task<?, ?> task = tasks.get(name);
    if (task == null) {
      throw new DurableException("task \"" + name + "\" is not registered");
    }
    return task;
  }

  List<String> taskNames() {
    return List.copyOf(tasks.keySet());
  }

  // ---- dispatch --------------------------------------------------------------------------

  /**
   * Dispatches one execution with the default options.
   *
   * @param task the task
   * @param input its input, written as JSON
   * @param <I> the input type
   * @return the execution's id
   */
  public <I> ExecutionId dispatch(Task<I, ?> task, I input) {
    return dispatch(task, input, DispatchOptions.defaults());
  }

  /**
   * Dispatches one execution. With an idempotency key that was used before for the same task,
   * nothing new is started and the first execution's id is returned, whatever its state.
   *
   * @param task the task
   * @param input its input, written as JSON
   * @param options idempotency, timing, routing, priority, expiry and retries
   * @param <I> the input type
   * @return the execution's id
   */
  public <I> ExecutionId dispatch(Task<I, ?> task, I input, DispatchOptions options) {
    Dispatched dispatched =
        store.dispatch(
            newExecutions.prepare(task, input, options, options.idempotencyKey(), now()));
    if (dispatched.created()) {
      wakeWorkers();
    }
    return dispatched.id();
  }

  /**
   * Fans out: dispatches one execution per input, in one transaction. With an idempotency key,
   * input {@code i} gets the key {@code <key>:<i>}.
   *
   * @param task the task
   * @param inputs the inputs
   * @param options the options for every execution
   * @param <I> the input type
   * @return the ids, in the order of the inputs
   */
  public <I> List<ExecutionId> map(
      Task<I, ?> task, List<? extends I> inputs, DispatchOptions options) {
    long now = now();
    List<NewExecution> executions = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      String key = options.idempotencyKey() == null ? null : options.idempotencyKey() + ":" + i;
      executions.add(newExecutions.prepare(task, inputs.get(i), options, key, now));
    }
    List<ExecutionId> ids = new ArrayList<>(inputs.size());
    for (Dispatched dispatched : store.dispatchAll(executions)) {
      ids.add(dispatched.id());
    }
    wakeWorkers();
    return ids;
  }

  /**
   * Fans out with the default options; see {@link #map(Task, List, DispatchOptions)}.
   *
   * @param task the task
   * @param inputs the inputs
   * @param <I> the input type
   * @return the ids, in the order of the inputs
   */
  public <I> List<ExecutionId> map(Task<I, ?> task, List<? extends I> inputs) {
    return map(task, inputs, DispatchOptions.defaults());
  }

  // ---- results ---------------------------------------------------------------------------

  /**
   * Waits until the execution ends and returns its result. A result of {@code null}, {@code 0},
   * {@code false} or empty is returned like any other.
   *
   * @param id the execution
   * @param type the result class
   * @param timeout how long to wait at most; zero checks once
   * @param <O> the result type
   * @return the result
   * @throws ExpiryException if the timeout passes first (never a pending state), or the execution
   *     EXPIRED
   * @throws TaskFailedException if it FAILED
   * @throws CancelledException if it was CANCELLED
   * @throws UnknownExecutionException if there is no such execution
   */
  public <O> @Nullable O waitFor(ExecutionId id, Class<O> type, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("wait timeout must be >= 0, was " + timeout);
    }
    long deadline = time.deadlineAfter(timeout);
    long poll = waitPollInterval.toNanos();
    while (true) {
      long seen = generation.get();
      Outcome<O> outcome = resultOf(id, type);
      if (outcome.isDone()) {
        return outcome.get();
      }
      long now = time.nanoTime();
      if (now - deadline >= 0) {
        throw new ExpiryException(
            "waited "
                + timeout
                + " for execution "
                + id
                + " and it has not ended: it is "
                + outcome.state());
      }
      awaitChange(seen, Math.min(deadline, now + poll));
      poll = Math.min(poll * 2, maxWaitPollInterval.toNanos());
    }
  }

  private void awaitChange(long seen, long deadline) {
    changes.lock();
    try {
      while (generation.get() == seen) {
        if (!time.awaitUntil(changes, changed, deadline)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DurableException("interrupted while waiting for an execution", e);
    } finally {
      changes.unlock();
    }
  }

  /**
   * Reads what the execution has come to, without waiting. On every terminal state it agrees with
   * {@link #waitFor}: {@link Outcome#get()} returns the same result or throws the same exception.
   *
   * @param id the execution
   * @param type the result class
   * @param <O> the result type
   * @return the outcome so far
   * @throws UnknownExecutionException if there is no such execution
   */
  public <O> Outcome<O> resultOf(ExecutionId id, Class<O> type) {
    ExecutionRecord execution = find(id);
    O value =
        execution.state() == ExecutionState.COMPLETED
            ? codec.read(execution.resultJson(), type, "result of " + id)
            : null;
    return new Outcome<>(id, execution.state(), value, execution.error());
  }

  /**
   * The execution's state now.
   *
   * @param id the execution
   * @return its state
   * @throws UnknownExecutionException if there is no such execution
   */
  public ExecutionState stateOf(ExecutionId id) {
    return find(id).state();
  }

  /**
   * The execution as stored: input, result, attempts, lease, times.
   *
   * @param id the execution
   * @return the stored record
   * @throws UnknownExecutionException if there is no such execution
   */
  public ExecutionRecord find(ExecutionId id) {
    Objects.requireNonNull(id, "id");
    return store.find(id).orElseThrow(() -> new UnknownExecutionException(id));
  }

  // ---- signals and cancellation ----------------------------------------------------------

  /**
   * Sends a signal to an execution; it is buffered until a handler consumes it with {@link
   * TaskContext#awaitSignal}.
   *
   * @param id the receiver
   * @param name the signal name
   * @param payload the payload, written as JSON
   * @throws UnknownExecutionException if there is no such execution
   */
  public void send(ExecutionId id, String name, Object payload) {
    Objects.requireNonNull(name, "signal name");
    if (!store.send(id, name, codec.write(payload, "signal " + name), now())) {
      throw new UnknownExecutionException(id);
    }
    wakeWorkers();
  }

  /**
   * Cancels an execution that has not ended, and every execution it started that has not ended
   * (children started with {@link TaskContext#call}, theirs, and so on): nothing waits for their
   * results any more. Cancellation is terminal: a late completion or failure from a handler changes
   * nothing. The running handler sees it through its context at the latest with the next heartbeat.
   *
   * @param id the execution
   * @return {@code true} if it was cancelled now, {@code false} if it had already ended
   * @throws UnknownExecutionException if there is no such execution
   */
  public boolean cancel(ExecutionId id) {
    return operator.cancel(id);
  }

  // ---- operations ----------------------------------------------------------------------

  /**
   * The operator of this engine's store: counts, listings, dead letters (replay, discard), purging.
   * Its replays and cancellations wake this engine's workers and waiters at once.
   *
   * @return the operator
   */
  public Operator operator() {
    return operator;
  }

  // ---- workers ---------------------------------------------------------------------------

  /**
   * Creates a worker of this engine; call {@link Worker#start()} to run it.
   *
   * @param config the worker's configuration
   * @return the worker, not started
   */
  public Worker worker(WorkerConfig config) {
    return new Worker(this, Objects.requireNonNull(config, "config"));
  }

  void attach(Worker worker) {
    workers.add(worker);
  }

  void detach(Worker worker) {
    workers.remove(worker);
  }

  void wakeWorkers() {
    for (Worker worker : workers) {
      worker.wake();
    }
  }

  void executionEnded() {
    generation.incrementAndGet();
    changes.lock();
    try {
      changed.signalAll();
    } finally {
      changes.unlock();
    }
  }

  // ---- accessors -------------------------------------------------------------------------

  /**
   * The store.
   *
   * @return the store this engine uses
   */
  public ExecutionStore store() {
    return store;
  }

  /**
   * The time source.
   *
   * @return the time source this engine uses
   */
  public TimeSource timeSource() {
    return time;
  }

  JsonCodec codec() {
    return codec;
  }

  private long now() {
    return time.now().toEpochMilli();
  }

  /** Builds a {@link Durable}. */
  public static final class Builder {
    private ExecutionStore store;
    private TimeSource time = TimeSource.system();
    private ObjectMapper mapper = new ObjectMapper();
    private Duration waitPollInterval = Duration.ofMillis(10);
    private Duration maxWaitPollInterval = Duration.ofSeconds(1);

    private Builder() {}

    /**
     * Sets the store (required).
     *
     * @param store where executions live
     * @return this builder
     */
    public Builder store(ExecutionStore store) {
      this.store = Objects.requireNonNull(store, "durable.store");
      return this;
    }

    /**
     * Sets the time source; the system clock by default.
     *
     * @param time the time source
     * @return this builder
     */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "durable.time-source");
      return this;
    }

    /**
     * Sets the Jackson mapper for inputs, results, step outcomes and signal payloads; a plain
     * {@code new ObjectMapper()} by default (records work; register modules such as JavaTime on
     * your own mapper).
     *
     * @param mapper the mapper
     * @return this builder
     */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "durable.object-mapper");
      return this;
    }

    /**
     * Sets how often {@link #waitFor} re-reads the store when no local wake-up comes: starting at
     * {@code min}, doubling up to {@code max}.
     *
     * @param min at least 1ms
     * @param max at least {@code min}
     * @return this builder
     * @throws IllegalArgumentException if a rule is broken
     */
    public Builder waitPollInterval(Duration min, Duration max) {
      if (min.toMillis() < 1 || max.compareTo(min) < 0) {
        throw new IllegalArgumentException(
            "durable.wait-poll-interval must be >= 1ms and max >= min, was " + min + " and " + max);
      }
      this.waitPollInterval = min;
      this.maxWaitPollInterval = max;
      return this;
    }

    /**
     * Builds the engine.
     *
     * @return the engine
     * @throws IllegalStateException if no store was set
     */
    public Durable build() {
      if (store == null) {
        throw new IllegalStateException("durable.store is required: call store(...) first");
      }
      return new Durable(this);
    }
  }

  @Override
  public String toString() {
    return "Durable["
        + store
        + ", "
        + tasks.size()
        + " tasks, at "
        + Instant.ofEpochMilli(now())
        + "]";
  }
}
