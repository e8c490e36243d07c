package dev.sluice.throttle;

import dev.sluice.ExecutionSuspended;
import dev.sluice.Policy;
import dev.sluice.breaker.CircuitOpenException;
import dev.sluice.breaker.CircuitPermit;
import dev.sluice.event.PolicyListener;
import dev.sluice.time.TimeSource;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * An adaptive client-side throttle: finds and holds the highest rate a rate-limited API accepts.
 *
 * <p>It bounds concurrency, spaces dispatches, keeps an optional token budget, follows the server's
 * {@code Retry-After} and rate-limit headers, slows down when failures reach a threshold and speeds
 * up again, step by step, after each cooling period without failure (see {@link ThrottleConfig}).
 *
 * <pre>{@code
 * Throttle throttle = Throttle.create(ThrottleConfig.builder().maxConcurrency(8).build());
 * String body = Sluice.with(throttle).get(() -> fetch(url)); // records success or failure itself
 * try (Permit permit = throttle.acquire()) {              // or hold a permit yourself
 *   HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
 *   permit.recordHeaders(response.headers().map());
 *   permit.recordSuccess();
 * }
 * }</pre>
 *
 * <p>A throttle is a {@link Policy}: compose it with a retry policy and a breaker with {@link
 * dev.sluice.Sluice#with}, innermost, so a permit is held only while a call is in flight.
 *
 * <p>Thread-safe; waiting callers park without pinning, so thousands of virtual threads may wait at
 * once. Time comes only from the {@link TimeSource} given at creation.
 */
public final class Throttle implements Policy, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Throttle.class.getName());

  private enum Lifecycle {
    OPEN,
    DRAINING,
    CLOSED
  }

  private final ThrottleConfig config;
  private final TimeSource time;
  private final ConcurrencyGate gate;
  private final DispatchPacer pacer;
  private final @Nullable TokenWindow tokens;
  private final ServerTokenQuota serverTokens;
  private final ProgressTracker progress;
  private final @Nullable EmbeddedBreaker breaker;
  private final ThrottleAdaptation adaptation;
  private final BlockingAcquisition blocking;
  private final AsyncAcquisition async;
  private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.OPEN);

  private Throttle(ThrottleConfig config, TimeSource time, RandomGenerator random) {
    this.config = Objects.requireNonNull(config, "config");
    this.time = Objects.requireNonNull(time, "time");
    Objects.requireNonNull(random, "random");
    long now = time.nanoTime();
    CallMeter meter = new CallMeter(now);
    RateController controller = new RateController(config, meter, now);
    this.gate = new ConcurrencyGate(time, controller.concurrency());
    this.pacer = new DispatchPacer(controller.intervalNanos(), config.jitterFraction(), random);
    this.tokens = config.tokenBudget() == null ? null : new TokenWindow(time, config.tokenBudget());
    this.serverTokens = new ServerTokenQuota(time);
    this.progress = new ProgressTracker(config.totalTasks());
    this.adaptation =
        new ThrottleAdaptation(
            meter, controller, gate, pacer, progress, this::accepting, this::state, this::snapshot);
    this.breaker = EmbeddedBreaker.of(config, time, adaptation::publishState);
    this.blocking =
        new BlockingAcquisition(this, time, gate, pacer, tokens, serverTokens, adaptation);
    this.async = new AsyncAcquisition(this, time, gate, pacer, tokens, serverTokens, adaptation);
  }

  /**
   * Creates a throttle on the system clock.
   *
   * @param config the settings
   * @return a running throttle
   */
  public static Throttle create(ThrottleConfig config) {
    return create(config, TimeSource.system(), new Random());
  }

  /**
   * Creates a throttle on the given time source, for tests and simulations.
   *
   * @param config the settings
   * @param time the source of time for every wait and measurement
   * @return a running throttle
   */
  public static Throttle create(ThrottleConfig config, TimeSource time) {
    return create(config, time, new Random());
  }

  /**
   * Creates a throttle on the given time source and random generator, for reproducible jitter.
   *
   * @param config the settings
   * @param time the source of time for every wait and measurement
   * @param random draws the jitter; must be safe for concurrent use if the throttle is ({@link
   *     Random} is)
   * @return a running throttle
   */
  public static Throttle create(ThrottleConfig config, TimeSource time, RandomGenerator random) {
    return new Throttle(config, time, random);
  }

  /**
   * Registers a listener; it hears the {@code Throttle*} events of {@link dev.sluice.event}:
   * slow-downs, speed-ups, ceiling resets, state changes and milestones.
   *
   * @param listener the listener
   * @return this throttle
   */
  public Throttle addListener(PolicyListener listener) {
    adaptation.addListener(listener);
    return this;
  }

  /**
   * Removes a listener added before.
   *
   * @param listener the listener
   */
  public void removeListener(PolicyListener listener) {
    adaptation.removeListener(listener);
  }

  /**
   * Waits, without a timeout, for a concurrency slot, token budget (one token, if a budget is
   * configured) and a dispatch slot.
   *
   * @return the permit; close it when the call is over
   * @throws ThrottleClosedException if the throttle is closed or draining, now or while waiting
   * @throws dev.sluice.breaker.CircuitOpenException if the embedded circuit breaker is open; it
   *     carries the time to retry after
   * @throws InterruptedException if interrupted while waiting; nothing is held then
   */
  public Permit acquire() throws InterruptedException {
    return blocking.acquire(1, null);
  }

  /**
   * Like {@link #acquire()}, giving up after {@code timeout}.
   *
   * @param timeout the longest time to wait for everything
   * @return the permit
   * @throws ThrottleTimeoutException if the timeout passed first; nothing is held then
   * @throws ThrottleClosedException if the throttle is closed or draining
   * @throws InterruptedException if interrupted while waiting
   */
  public Permit acquire(Duration timeout) throws InterruptedException {
    return acquire(1, Objects.requireNonNull(timeout, "timeout"));
  }

  /**
   * Acquires a permit reserving {@code estimatedTokens} of the token budget; the permit's {@link
   * Permit#recordTokens} replaces the estimate with the actual count when it closes.
   *
   * <p>When responses report a token quota (OpenAI {@code x-ratelimit-*-tokens}, Anthropic {@code
   * anthropic-ratelimit-tokens-*} or {@code -input-tokens-*}), the estimate also waits until that
   * quota, refilling since the report, covers it; with a budget as well, both must.
   *
   * @param estimatedTokens the tokens the call is expected to spend; ignored without a budget or a
   *     reported token quota
   * @param timeout the longest time to wait
   * @return the permit
   * @throws IllegalArgumentException if the estimate is negative or larger than the whole budget
   * @throws ThrottleTimeoutException if the timeout passed first; nothing is held then
   * @throws ThrottleClosedException if the throttle is closed or draining
   * @throws CircuitOpenException if the embedded circuit breaker is open or has no probe to spare
   * @throws InterruptedException if interrupted while waiting; nothing is held then
   */
  public Permit acquire(long estimatedTokens, Duration timeout) throws InterruptedException {
    return blocking.acquire(estimatedTokens, Objects.requireNonNull(timeout, "timeout"));
  }

  /**
   * Like {@link #acquire(long, Duration)}, waiting without a timeout.
   *
   * @param estimatedTokens the tokens the call is expected to spend; ignored without a budget or a
   *     reported token quota
   * @return the permit
   * @throws IllegalArgumentException if the estimate is negative or larger than the whole budget
   * @throws ThrottleClosedException if the throttle is closed or draining
   * @throws CircuitOpenException if the embedded circuit breaker is open or has no probe to spare
   * @throws InterruptedException if interrupted while waiting; nothing is held then
   */
  public Permit acquire(long estimatedTokens) throws InterruptedException {
    return blocking.acquire(estimatedTokens, null);
  }

  /**
   * Acquires a permit without blocking a thread: the future completes when a concurrency slot and a
   * dispatch slot are granted, in arrival order with blocking callers. With a token budget the
   * reservation waits on a virtual thread.
   *
   * @return the future permit; it fails with {@link ThrottleClosedException} if the throttle closes
   *     first, or with {@link CircuitOpenException} while the embedded breaker is open
   */
  public CompletableFuture<Permit> acquireAsync() {
    return acquireAsync(1);
  }

  /**
   * Like {@link #acquireAsync()}, reserving {@code estimatedTokens} of the token budget.
   *
   * @param estimatedTokens the tokens the call is expected to spend; ignored without a budget
   * @return the future permit
   */
  public CompletableFuture<Permit> acquireAsync(long estimatedTokens) {
    return async.acquire(estimatedTokens);
  }

  /**
   * Runs {@code task} under a permit, recording success when it returns and failure when it throws.
   *
   * @param task the call to make
   * @param <T> the result type
   * @return what the task returned
   * @throws Exception whatever the task threw, after recording it
   */
  @Override
  public <T extends @Nullable Object> T call(Callable<T> task) throws Exception {
    Objects.requireNonNull(task, "task");
    try (Permit permit = acquire()) {
      try {
        T value = task.call();
        permit.recordSuccess();
        return value;
      } catch (Exception | Error e) {
        permit.recordFailure(e);
        throw e;
      }
    }
  }

  /**
   * Wraps {@code task} so every call of the wrapper goes through {@link #call}.
   *
   * @param task the call to protect
   * @param <T> the result type
   * @return the protected call
   */
  public <T extends @Nullable Object> Callable<T> wrap(Callable<T> task) {
    Objects.requireNonNull(task, "task");
    return () -> call(task);
  }

  /**
   * Runs an asynchronous call under a permit acquired with {@link #acquireAsync()}, recording
   * success or failure when its stage completes.
   *
   * @param task starts the call
   * @param <T> the result type
   * @return the call's result
   */
  @Override
  public <T extends @Nullable Object> CompletableFuture<T> callAsync(
      Supplier<? extends CompletionStage<T>> task) {
    return async.call(Objects.requireNonNull(task, "task"));
  }

  /** Records a success reported outside a permit (for example by a batch API). */
  public void recordSuccess() {
    adaptation.afterSuccess(time.nanoTime());
  }

  /**
   * Records a failure reported outside a permit; it always counts toward the failure window if the
   * failure predicate accepts it.
   *
   * @param cause what went wrong
   */
  public void recordFailure(Throwable cause) {
    Objects.requireNonNull(cause, "cause");
    if (!(cause instanceof ExecutionSuspended) && config.failurePredicate().test(cause)) {
      adaptation.onFailure(time.nanoTime(), -1);
    }
  }

  /**
   * Spends tokens outside a permit, for example for a call made before the throttle existed.
   *
   * @param count tokens spent
   */
  public void recordTokens(long count) {
    if (tokens != null && count > 0) {
      try {
        TokenWindow.Spend spend = tokens.reserve(0, time.nanoTime());
        if (spend != null) {
          tokens.reconcile(spend, count);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Stops accepting acquires: new and waiting callers get {@link ThrottleClosedException}; calls in
   * flight finish and close their permits normally.
   */
  @Override
  public void close() {
    lifecycle.set(Lifecycle.CLOSED);
    gate.close();
    adaptation.publishState();
    LOG.log(Level.INFO, "throttle closed; {0} calls in flight", gate.inFlight());
  }

  /**
   * Stops accepting acquires and waits, without polling, until no call is in flight; then the
   * throttle is {@link ThrottleState#CLOSED}.
   *
   * @param timeout the longest time to wait
   * @return {@code true} if everything finished, {@code false} if the timeout passed first (the
   *     throttle stays {@link ThrottleState#DRAINING})
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean drain(Duration timeout) throws InterruptedException {
    long deadline = time.deadlineAfter(Objects.requireNonNull(timeout, "timeout"));
    lifecycle.compareAndSet(Lifecycle.OPEN, Lifecycle.DRAINING);
    gate.close();
    adaptation.publishState();
    boolean idle = gate.awaitIdle(deadline);
    if (idle) {
      lifecycle.set(Lifecycle.CLOSED);
      adaptation.publishState();
    }
    return idle;
  }

  /**
   * The current state.
   *
   * @return the state
   */
  public ThrottleState state() {
    Lifecycle phase = lifecycle.get();
    if (phase == Lifecycle.CLOSED) {
      return ThrottleState.CLOSED;
    }
    if (phase == Lifecycle.DRAINING) {
      return ThrottleState.DRAINING;
    }
    if (breaker != null && breaker.isOpen()) {
      return ThrottleState.CIRCUIT_OPEN;
    }
    return adaptation.cooling() ? ThrottleState.COOLING : ThrottleState.RUNNING;
  }

  /**
   * Reads the throttle's current figures.
   *
   * @return a snapshot
   */
  public ThrottleSnapshot snapshot() {
    long now = time.nanoTime();
    adaptation.review(now);
    ThrottleAdaptation.Figures figures = adaptation.figures(now);
    long used = tokens == null ? 0 : tokens.used();
    return new ThrottleSnapshot(
        state(),
        figures.concurrency(),
        config.maxConcurrency(),
        figures.ceiling(),
        gate.inFlight(),
        gate.queued(),
        Duration.ofNanos(pacer.interval(now)),
        Duration.ofNanos(pacer.serverSpacing(now)),
        figures.failuresInWindow(),
        progress.completed(),
        progress.total(),
        progress.percentage(),
        progress.eta(),
        used,
        tokens == null
            ? OptionalLong.empty()
            : OptionalLong.of(Math.max(0, config.tokenBudget().tokens() - used)));
  }

  /**
   * The settings this throttle runs with.
   *
   * @return the configuration
   */
  public ThrottleConfig config() {
    return config;
  }

  // ---- called by Permit ----

  /** Applies a response's signals; returns its Retry-After, if any, for the breaker. */
  @Nullable Duration applyHeaders(Map<String, List<String>> headers) {
    ServerSignals.Effect effect = ServerSignals.read(headers, time.now());
    long now = time.nanoTime();
    serverTokens.update(effect.quotas(), now);
    long spacing = ServerSignals.apply(effect, now, pacer);
    if (spacing > 0) {
      adaptation.onServerRate(now, 1e9 / spacing, now + pacer.serverSpacingHold(now));
    }
    return effect.pause().orElse(null);
  }

  void complete(Permit permit) {
    // the clock is read only when something needs it: the common success path may skip it
    boolean timed =
        progress.total() > 0
            || adaptation.reviewPending()
            || permit.outcome() == Permit.Outcome.FAILURE
            || permit.dispatchNanos() != Long.MIN_VALUE;
    long now = timed ? time.nanoTime() : Long.MIN_VALUE;
    try {
      if (tokens != null && permit.spend() != null) {
        long actual = permit.tokens() >= 0 ? permit.tokens() : permit.spend().amount;
        tokens.reconcile(permit.spend(), actual);
      }
      if (permit.served() != null) {
        long actual = permit.tokens() >= 0 ? permit.tokens() : permit.served().estimate();
        serverTokens.reconcile(permit.served(), actual);
      }
      switch (permit.outcome()) {
        case SUCCESS -> {
          if (now != Long.MIN_VALUE) {
            long dispatched = permit.dispatchNanos();
            adaptation.onSuccess(
                now, dispatched == Long.MIN_VALUE ? 0 : now - dispatched, permit.bookedNanos());
          } else {
            adaptation.afterSuccess(now);
          }
        }
        case FAILURE -> {
          if (config.failurePredicate().test(permit.failure())) {
            adaptation.onFailure(now, permit.generation());
          }
        }
        case IGNORED, NONE -> adaptation.review(now);
      }
      if (breaker != null) {
        breaker.report(permit);
      }
    } finally {
      gate.release();
    }
  }

  void failFastIfOpen() {
    if (breaker != null) {
      breaker.failFastIfOpen();
    }
  }

  /** Takes the breaker's permission last, after every wait, so a half-open probe is not held. */
  @Nullable CircuitPermit circuitPermission() {
    return breaker == null ? null : breaker.permission();
  }

  void checkAccepting() {
    if (lifecycle.get() != Lifecycle.OPEN) {
      throw new ThrottleClosedException(state());
    }
  }

  /** Whether the throttle is open: not closing, not closed; only then does it adapt. */
  boolean accepting() {
    return lifecycle.get() == Lifecycle.OPEN;
  }
}
