package dev.sluice.throttle;

import dev.sluice.breaker.CircuitBreaker;
import dev.sluice.breaker.CircuitOpenException;
import dev.sluice.breaker.CircuitPermit;
import dev.sluice.breaker.CircuitState;
import dev.sluice.time.Nanos;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * An adaptive client-side throttle: finds and holds the highest rate a rate-limited API accepts.
 *
 * <p>It bounds concurrency, spaces dispatches, keeps an optional token budget, follows the server's
 * {@code Retry-After} and rate-limit headers, slows down when failures reach a threshold and speeds
 * up again, step by step, after each cooling period without failure (see {@link ThrottleConfig}).
 *
 * <pre>{@code
 * Throttle throttle = Throttle.create(ThrottleConfig.builder().maxConcurrency(8).build());
 * String body = throttle.call(() -> fetch(url));          // records success or failure itself
 * try (Permit permit = throttle.acquire()) {              // or hold a permit yourself
 *   HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
 *   permit.recordHeaders(response.headers().map());
 *   permit.recordSuccess();
 * }
 * }</pre>
 *
 * <p>Thread-safe; waiting callers park without pinning, so thousands of virtual threads may wait at
 * once. Time comes only from the {@link TimeSource} given at creation.
 */
public final class Throttle {
  private static final System.Logger LOG = System.getLogger(Throttle.class.getName());
  private static final long NO_TIMEOUT = Long.MAX_VALUE;

  private enum Lifecycle {
    OPEN,
    DRAINING,
    CLOSED
  }

  private final ThrottleConfig config;
  private final TimeSource time;
  private final ConcurrencyGate gate;
  private final DispatchPacer pacer;
  private final TokenWindow tokens;
  private final ServerTokenQuota serverTokens;
  private final ProgressTracker progress;
  private final CircuitBreaker breaker;
  private final ReentrantLock adaptLock = new ReentrantLock();
  private final CallMeter meter;
  private final RateController controller;
  private final ReentrantLock stateLock = new ReentrantLock();
  private final List<ThrottleListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.OPEN);
  private ThrottleState reportedState = ThrottleState.RUNNING;
  private volatile long nextReview;
  private volatile long generation;
  private volatile boolean cooling;

  /** Whether a caller waited for the adaptive rate or for concurrency since the last review. */
  private volatile boolean constrained;

  private Throttle(ThrottleConfig config, TimeSource time, RandomGenerator random) {
    this.config = Objects.requireNonNull(config, "config");
    this.time = Objects.requireNonNull(time, "time");
    Objects.requireNonNull(random, "random");
    long now = time.nanoTime();
    this.meter = new CallMeter(now);
    this.controller = new RateController(config, meter, now);
    this.gate = new ConcurrencyGate(time, controller.concurrency());
    this.pacer = new DispatchPacer(controller.intervalNanos(), config.jitterFraction(), random);
    this.tokens = config.tokenBudget() == null ? null : new TokenWindow(time, config.tokenBudget());
    this.serverTokens = new ServerTokenQuota(time);
    this.progress = new ProgressTracker(config.totalTasks());
    this.breaker =
        config.circuitBreaker() == null
            ? null
            : CircuitBreaker.builder()
                .name("throttle")
                .config(config.circuitBreaker())
                .timeSource(time)
                .listener(transition -> publishState())
                .build();
    this.nextReview = controller.nextReview();
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
   * Registers a listener for slow-downs, speed-ups, state changes and milestones.
   *
   * @param listener the listener
   * @return this throttle
   */
  public Throttle addListener(ThrottleListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /**
   * Removes a listener added before.
   *
   * @param listener the listener
   */
  public void removeListener(ThrottleListener listener) {
    listeners.remove(listener);
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
    return acquire(1, null);
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
   * @param timeout the longest time to wait, or {@code null} to wait for ever
   * @return the permit
   * @throws IllegalArgumentException if the estimate is negative or larger than the whole budget
   * @throws ThrottleTimeoutException if the timeout passed first; nothing is held then
   * @throws ThrottleClosedException if the throttle is closed or draining
   * @throws CircuitOpenException if the embedded circuit breaker is open or has no probe to spare
   * @throws InterruptedException if interrupted while waiting; nothing is held then
   */
  public Permit acquire(long estimatedTokens, Duration timeout) throws InterruptedException {
    checkAccepting();
    failFastIfOpen();
    // the clock is read only when something needs it: a pending review, pacing, a wait
    boolean timed =
        timeout != null
            || tokens != null
            || nextReview != Long.MAX_VALUE
            || pacer.active()
            || gate.limit() == 1;
    long now = timed ? time.nanoTime() : Long.MIN_VALUE;
    long deadline =
        timeout == null ? NO_TIMEOUT : Nanos.saturatedAdd(now, Nanos.saturated(timeout));
    review(now);
    if (!gate.tryAcquire()) {
      markConstrained();
      ConcurrencyGate.Result admitted = gate.acquire(deadline);
      if (admitted == ConcurrencyGate.Result.CLOSED) {
        throw new ThrottleClosedException(state());
      }
      if (admitted == ConcurrencyGate.Result.TIMED_OUT) {
        throw new ThrottleTimeoutException(timeout, "a concurrency slot");
      }
      now = time.nanoTime();
    }
    TokenWindow.Spend spend = null;
    ServerTokenQuota.Reservation served = null;
    try {
      if (tokens != null) {
        spend = tokens.reserve(estimatedTokens, deadline);
        if (spend == null) {
          throw new ThrottleTimeoutException(timeout, "token budget");
        }
        now = time.nanoTime();
      }
      if (serverTokens.active()) {
        served = serverTokens.reserve(estimatedTokens, deadline);
        if (served == null) {
          throw new ThrottleTimeoutException(timeout, "the server's token quota");
        }
        now = time.nanoTime();
      }
      if (!timed && pacer.active()) {
        now = time.nanoTime(); // pacing began while this caller was on its way
      }
      // the generation is taken with the slot: a call booked before a slow-down measures the old
      // rate; if a slow-down came while it waited, it books again at the new spacing
      long booked = generation;
      long dispatchAt = now == Long.MIN_VALUE ? now : pacer.reserve(now);
      while (dispatchAt > now) {
        if (pacer.adaptiveBinds(now)) {
          markConstrained();
        }
        if (dispatchAt > deadline) {
          throw new ThrottleTimeoutException(timeout, "a dispatch slot");
        }
        time.sleepUntil(dispatchAt);
        checkAccepting();
        if (generation == booked) {
          break;
        }
        booked = generation;
        now = time.nanoTime();
        dispatchAt = pacer.reserve(now);
      }
      return new Permit(this, booked, spend, served, dispatchAt, now, circuitPermission());
    } catch (RuntimeException | InterruptedException e) {
      if (spend != null) {
        tokens.reconcile(spend, 0);
      }
      if (served != null) {
        serverTokens.reconcile(served, 0);
      }
      gate.release();
      throw e;
    }
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
    try {
      checkAccepting();
      failFastIfOpen();
    } catch (ThrottleClosedException | CircuitOpenException e) {
      return CompletableFuture.failedFuture(e);
    }
    review(time.nanoTime());
    CompletableFuture<Permit> result = new CompletableFuture<>();
    if (gate.inFlight() >= gate.limit()) {
      markConstrained();
    }
    gate.acquireAsync()
        .whenComplete(
            (granted, failure) -> {
              if (failure != null) {
                result.completeExceptionally(new ThrottleClosedException(state()));
              } else if (tokens == null && !serverTokens.active()) {
                pace(null, null, result);
              } else {
                Thread.startVirtualThread(() -> reserveThenPace(estimatedTokens, result));
              }
            });
    return result;
  }

  private void reserveThenPace(long estimatedTokens, CompletableFuture<Permit> result) {
    TokenWindow.Spend spend = null;
    try {
      spend = tokens == null ? null : tokens.reserve(estimatedTokens, NO_TIMEOUT);
      ServerTokenQuota.Reservation served =
          serverTokens.active() ? serverTokens.reserve(estimatedTokens, NO_TIMEOUT) : null;
      pace(spend, served, result);
    } catch (InterruptedException | RuntimeException e) {
      if (spend != null) {
        tokens.reconcile(spend, 0);
      }
      gate.release();
      result.completeExceptionally(e);
    }
  }

  private void pace(
      TokenWindow.Spend spend,
      ServerTokenQuota.Reservation served,
      CompletableFuture<Permit> result) {
    long now = time.nanoTime();
    long booked = generation;
    long dispatchAt = pacer.reserve(now);
    if (dispatchAt > now && pacer.adaptiveBinds(now)) {
      markConstrained();
    }
    if (dispatchAt <= now) {
      handOver(spend, served, result, booked, now);
    } else {
      time.delay(Duration.ofNanos(dispatchAt - now))
          .thenRun(
              () -> {
                if (generation != booked && lifecycle.get() == Lifecycle.OPEN) {
                  pace(spend, served, result); // slowed down while it waited: book again
                } else {
                  handOver(spend, served, result, booked, now);
                }
              });
    }
  }

  private void handOver(
      TokenWindow.Spend spend,
      ServerTokenQuota.Reservation served,
      CompletableFuture<Permit> result,
      long booked,
      long bookedNanos) {
    CircuitPermit circuit;
    try {
      circuit = circuitPermission();
    } catch (CircuitOpenException e) {
      if (spend != null) {
        tokens.reconcile(spend, 0);
      }
      if (served != null) {
        serverTokens.reconcile(served, 0);
      }
      gate.release();
      result.completeExceptionally(e);
      return;
    }
    Permit permit = new Permit(this, booked, spend, served, time.nanoTime(), bookedNanos, circuit);
    if (lifecycle.get() != Lifecycle.OPEN) {
      permit.close();
      result.completeExceptionally(new ThrottleClosedException(state()));
    } else if (!result.complete(permit)) {
      permit.close(); // cancelled while pacing
    }
  }

  /**
   * Runs {@code task} under a permit, recording success when it returns and failure when it throws.
   *
   * @param task the call to make
   * @param <T> the result type
   * @return what the task returned
   * @throws Exception whatever the task threw, after recording it
   */
  public <T> T call(Callable<T> task) throws Exception {
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
  public <T> Callable<T> wrap(Callable<T> task) {
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
  public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> task) {
    Objects.requireNonNull(task, "task");
    return acquireAsync()
        .thenCompose(
            permit -> {
              CompletionStage<T> stage;
              try {
                stage = task.get();
              } catch (RuntimeException e) {
                permit.recordFailure(e);
                permit.close();
                return CompletableFuture.failedFuture(e);
              }
              return stage
                  .whenComplete(
                      (value, failure) -> {
                        if (failure == null) {
                          permit.recordSuccess();
                        } else {
                          permit.recordFailure(unwrap(failure));
                        }
                        permit.close();
                      })
                  .toCompletableFuture();
            });
  }

  /** Records a success reported outside a permit (for example by a batch API). */
  public void recordSuccess() {
    afterSuccess(time.nanoTime());
  }

  /**
   * Records a failure reported outside a permit; it always counts toward the failure window if the
   * failure predicate accepts it.
   *
   * @param cause what went wrong
   */
  public void recordFailure(Throwable cause) {
    Objects.requireNonNull(cause, "cause");
    if (config.failurePredicate().test(cause)) {
      long now = time.nanoTime();
      meter.recordFailure(now);
      afterFailure(now, -1);
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
  public void close() {
    lifecycle.set(Lifecycle.CLOSED);
    gate.close();
    publishState();
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
    publishState();
    boolean idle = gate.awaitIdle(deadline);
    if (idle) {
      lifecycle.set(Lifecycle.CLOSED);
      publishState();
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
    if (breaker != null && isOpen(breaker.state())) {
      return ThrottleState.CIRCUIT_OPEN;
    }
    return cooling ? ThrottleState.COOLING : ThrottleState.RUNNING;
  }

  /**
   * Reads the throttle's current figures.
   *
   * @return a snapshot
   */
  public ThrottleSnapshot snapshot() {
    long now = time.nanoTime();
    review(now);
    int concurrency;
    int ceiling;
    int failures;
    adaptLock.lock();
    try {
      concurrency = controller.concurrency();
      ceiling = controller.ceiling();
      failures = controller.failuresInWindow(now);
    } finally {
      adaptLock.unlock();
    }
    long used = tokens == null ? 0 : tokens.used();
    return new ThrottleSnapshot(
        state(),
        concurrency,
        config.maxConcurrency(),
        ceiling,
        gate.inFlight(),
        gate.queued(),
        Duration.ofNanos(pacer.interval(now)),
        Duration.ofNanos(pacer.serverSpacing(now)),
        failures,
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
  Duration applyHeaders(Map<String, List<String>> headers) {
    ServerSignals.Effect effect = ServerSignals.read(headers, time.now());
    long now = time.nanoTime();
    serverTokens.update(effect.quotas(), now);
    long spacing = ServerSignals.apply(effect, now, pacer);
    if (spacing > 0 && lifecycle.get() == Lifecycle.OPEN) {
      adaptLock.lock();
      try {
        controller.onServerRate(now, 1e9 / spacing, now + pacer.serverSpacingHold(now));
        applyLimitsLocked(now);
      } finally {
        adaptLock.unlock();
      }
    }
    return effect.pause().orElse(null);
  }

  void complete(Permit permit) {
    // the clock is read only when something needs it: the common success path may skip it
    boolean timed =
        progress.total() > 0
            || nextReview != Long.MAX_VALUE
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
            meter.record(
                now, dispatched == Long.MIN_VALUE ? 0 : now - dispatched, permit.bookedNanos());
          }
          afterSuccess(now);
        }
        case FAILURE -> {
          if (config.failurePredicate().test(permit.failure())) {
            meter.recordFailure(now);
            afterFailure(now, permit.generation());
          }
        }
        case IGNORED, NONE -> review(now);
      }
      reportToBreaker(permit);
    } finally {
      gate.release();
    }
  }

  private void reportToBreaker(Permit permit) {
    CircuitPermit circuit = permit.circuit();
    if (circuit == null) {
      return;
    }
    switch (permit.outcome()) {
      case SUCCESS -> circuit.onSuccess();
      case FAILURE -> {
        if (config.failurePredicate().test(permit.failure())) {
          circuit.onFailure();
          Duration retryAfter = permit.retryAfter();
          if (retryAfter != null
              && isOpen(breaker.state())
              && retryAfter.compareTo(breaker.retryAfter()) > 0) {
            breaker.openUntil(time.now().plus(retryAfter)); // the server said when to come back
          }
        } else {
          circuit.onIgnore();
        }
      }
      case IGNORED, NONE -> circuit.onIgnore();
    }
  }

  private void failFastIfOpen() {
    if (breaker != null) {
      CircuitState circuitState = breaker.state();
      if (isOpen(circuitState)) {
        throw new CircuitOpenException(breaker.name(), circuitState, breaker.retryAfter());
      }
    }
  }

  /** Takes the breaker's permission last, after every wait, so a half-open probe is not held. */
  private CircuitPermit circuitPermission() {
    if (breaker == null) {
      return null;
    }
    return breaker
        .tryAcquire()
        .orElseThrow(
            () -> new CircuitOpenException(breaker.name(), breaker.state(), breaker.retryAfter()));
  }

  private static boolean isOpen(CircuitState circuitState) {
    return circuitState == CircuitState.OPEN || circuitState == CircuitState.FORCED_OPEN;
  }

  private void afterSuccess(long now) {
    review(now);
    int milestone = progress.recordCompletion(now);
    if (milestone > 0 && !listeners.isEmpty()) {
      ThrottleSnapshot snapshot = snapshot();
      for (ThrottleListener listener : listeners) {
        notify(() -> listener.onMilestone(milestone, snapshot));
      }
    }
  }

  private void afterFailure(long now, long dispatchGeneration) {
    if (lifecycle.get() != Lifecycle.OPEN) {
      return; // a closed throttle no longer adapts, and reports nothing more
    }
    Adjustment slowDown = null;
    List<RateController.Step> steps;
    adaptLock.lock();
    try {
      steps = reviewLocked(now, consumeConstrained());
      if (controller.onFailure(now, dispatchGeneration) == RateController.Verdict.SLOWED_DOWN) {
        slowDown = controller.last();
        applyLimitsLocked(now);
      }
      nextReview = controller.nextReview();
    } finally {
      adaptLock.unlock();
    }
    fire(steps);
    if (slowDown != null) {
      LOG.log(
          Level.INFO,
          "throttle slowed down: concurrency {0} -> {1}, interval {2} -> {3}, safe ceiling {4}",
          slowDown.oldConcurrency(),
          slowDown.newConcurrency(),
          slowDown.oldInterval(),
          slowDown.newInterval(),
          slowDown.safeCeiling());
      Adjustment change = slowDown;
      for (ThrottleListener listener : listeners) {
        notify(() -> listener.onSlowDown(change));
      }
    }
    publishState();
  }

  /** Applies speed-up steps and ceiling resets that are due; cheap when none is. */
  private void review(long now) {
    if (now < nextReview || lifecycle.get() != Lifecycle.OPEN) {
      return;
    }
    List<RateController.Step> steps;
    if (!adaptLock.tryLock()) {
      return; // another caller is reviewing right now
    }
    try {
      steps = reviewLocked(now, consumeConstrained());
      nextReview = controller.nextReview();
    } finally {
      adaptLock.unlock();
    }
    fire(steps);
    if (!steps.isEmpty()) {
      publishState();
    }
  }

  private List<RateController.Step> reviewLocked(long now, boolean waited) {
    List<RateController.Step> steps = controller.review(now, waited);
    applyLimitsLocked(now);
    return steps;
  }

  private void applyLimitsLocked(long now) {
    gate.setLimit(controller.concurrency());
    pacer.setAdaptiveInterval(controller.intervalNanos(), now);
    generation = controller.generation();
    cooling = controller.cooling(now);
  }

  private void markConstrained() {
    if (!constrained) {
      constrained = true;
    }
  }

  private boolean consumeConstrained() {
    boolean waited = constrained;
    if (waited) {
      constrained = false;
    }
    return waited || gate.queued() > 0;
  }

  private void fire(List<RateController.Step> steps) {
    if (steps.isEmpty() || lifecycle.get() != Lifecycle.OPEN) {
      return;
    }
    for (RateController.Step step : steps) {
      if (step.ceilingReset()) {
        LOG.log(
            Level.DEBUG,
            "throttle safe ceiling reset {0} -> {1}",
            step.oldCeiling(),
            step.adjustment().safeCeiling());
        for (ThrottleListener listener : listeners) {
          notify(() -> listener.onCeilingReset(step.oldCeiling(), step.adjustment().safeCeiling()));
        }
      } else {
        LOG.log(Level.DEBUG, "throttle sped up: {0}", step.adjustment());
        for (ThrottleListener listener : listeners) {
          notify(() -> listener.onSpeedUp(step.adjustment()));
        }
      }
    }
  }

  private void publishState() {
    stateLock.lock();
    try {
      ThrottleState now = state();
      ThrottleState before = reportedState;
      if (now != before) {
        reportedState = now;
        LOG.log(Level.INFO, "throttle state {0} -> {1}", before, now);
        for (ThrottleListener listener : listeners) {
          notify(() -> listener.onStateChange(before, now));
        }
      }
    } finally {
      stateLock.unlock();
    }
  }

  private void checkAccepting() {
    if (lifecycle.get() != Lifecycle.OPEN) {
      throw new ThrottleClosedException(state());
    }
  }

  private static void notify(Runnable delivery) {
    try {
      delivery.run();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "throttle listener failed", e);
    }
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }
}
