package dev.sluice.breaker;

import dev.sluice.event.BreakerTransitioned;
import dev.sluice.event.PolicyListener;
import dev.sluice.time.Nanos;
import dev.sluice.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** The breaker: the current {@link BreakerState}, the counts, and the transitions between. */
final class DefaultCircuitBreaker implements CircuitBreaker {
  private static final System.Logger LOG = System.getLogger(CircuitBreaker.class.getName());

  enum Outcome {
    SUCCESS,
    FAILURE,
    IGNORE
  }

  final String name;
  final CircuitBreakerConfig config;
  final TimeSource time;
  final long baseOpenDelayNanos;
  final long maxOpenDelayNanos;
  final long probeTimeoutNanos;
  final long slowCallNanos;
  final boolean measuresDuration;
  private final List<PolicyListener> listeners;
  private final AtomicReference<BreakerState> current = new AtomicReference<>();
  private final LongAdder permitted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder successes = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder ignored = new LongAdder();
  final LongAdder probesReclaimed = new LongAdder();

  DefaultCircuitBreaker(
      String name, CircuitBreakerConfig config, TimeSource time, List<PolicyListener> listeners) {
    this.name = name;
    this.config = config;
    this.time = time;
    this.listeners = listeners;
    this.baseOpenDelayNanos = Nanos.saturated(config.openDelay());
    this.maxOpenDelayNanos = Nanos.saturated(config.maxOpenDelay());
    this.probeTimeoutNanos = Nanos.saturated(config.probeTimeout());
    this.slowCallNanos = Nanos.saturated(config.slowCallDuration());
    this.measuresDuration = config.slowCallRateThreshold() > 0;
    current.set(new ClosedState(this));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CircuitBreakerConfig config() {
    return config;
  }

  @Override
  public CircuitState state() {
    BreakerState state = current.get();
    if (state instanceof OpenState open) {
      open.halfOpenIfDue(time.nanoTime());
      return current.get().state();
    }
    return state.state();
  }

  @Override
  public Optional<CircuitPermit> tryAcquire() {
    return Optional.ofNullable(admit());
  }

  @Override
  public CircuitPermit acquire() {
    StatePermit permit = admit();
    if (permit == null) {
      throw rejection();
    }
    return permit;
  }

  /**
   * The decorators' fast path: in a closed (or disabled) breaker that does not time calls, the
   * outcome goes straight to the state, with no permit object; the structure of this method
   * guarantees the single report a permit would enforce.
   */
  @Override
  public <T extends @Nullable Object> T get(Supplier<T> supplier) {
    BreakerState state = current.get();
    if (measuresDuration || !(state instanceof ClosedState || state instanceof DisabledState)) {
      return CircuitBreaker.super.get(supplier);
    }
    permitted.increment();
    T result;
    try {
      result = supplier.get();
    } catch (RuntimeException | Error e) {
      report(state, classify(e, null));
      throw e;
    }
    report(state, classify(null, result));
    return result;
  }

  @Override
  public <T extends @Nullable Object> T call(Callable<T> call) throws Exception {
    BreakerState state = current.get();
    if (measuresDuration || !(state instanceof ClosedState || state instanceof DisabledState)) {
      return CircuitBreaker.super.call(call);
    }
    permitted.increment();
    T result;
    try {
      result = call.call();
    } catch (Exception | Error e) {
      report(state, classify(e, null));
      throw e;
    }
    report(state, classify(null, result));
    return result;
  }

  private void report(BreakerState state, Outcome outcome) {
    switch (outcome) {
      case SUCCESS -> {
        successes.increment();
        state.onSuccess(null, false);
      }
      case FAILURE -> {
        failures.increment();
        state.onFailure(null, false);
      }
      case IGNORE -> ignored.increment();
    }
  }

  private @Nullable StatePermit admit() {
    StatePermit permit = current.get().tryAcquire();
    if (permit == null) {
      rejected.increment();
    } else {
      permitted.increment();
    }
    return permit;
  }

  private CircuitOpenException rejection() {
    BreakerState state = current.get();
    CircuitState reported = state.state();
    if (reported == CircuitState.CLOSED || reported == CircuitState.DISABLED) {
      // the breaker closed between our rejection and now: say so, with nothing to wait for
      return new CircuitOpenException(name, CircuitState.HALF_OPEN, Duration.ZERO);
    }
    return new CircuitOpenException(
        name, reported, Duration.ofNanos(state.retryAfterNanos(time.nanoTime())));
  }

  @Override
  public Duration retryAfter() {
    return Duration.ofNanos(current.get().retryAfterNanos(time.nanoTime()));
  }

  @Override
  public void openUntil(Instant until) {
    long wait = Nanos.saturated(Duration.between(time.now(), until));
    if (wait <= 0) {
      return;
    }
    long now = time.nanoTime();
    long deadline = Nanos.saturatedAdd(now, wait);
    while (true) {
      BreakerState state = current.get();
      if (state instanceof ForcedOpenState || state instanceof DisabledState) {
        return;
      }
      if (state instanceof OpenState open && open.untilNanos - deadline >= 0) {
        return; // already open at least that long
      }
      if (transition(state, new OpenState(this, deadline, state.openDelayNanos()))) {
        return;
      }
    }
  }

  @Override
  public void trip() {
    force(new ForcedOpenState(this));
  }

  @Override
  public void reset() {
    force(new ClosedState(this));
  }

  @Override
  public void disable() {
    force(new DisabledState(this));
  }

  private void force(BreakerState next) {
    while (!transition(current.get(), next)) {
      // lost a race with another transition; apply ours on top of it
    }
  }

  /**
   * Moves from {@code from} to {@code to} if {@code from} is still current. Only the winner tells
   * the listeners, so each transition is heard exactly once.
   */
  boolean transition(BreakerState from, BreakerState to) {
    if (!current.compareAndSet(from, to)) {
      return false;
    }
    if (from.state() != to.state()) {
      announce(new BreakerTransitioned(name, from.state(), to.state(), time.now()));
    }
    return true;
  }

  BreakerState current() {
    return current.get();
  }

  private void announce(BreakerTransitioned transition) {
    LOG.log(
        System.Logger.Level.DEBUG,
        () -> "circuit breaker '" + name + "': " + transition.from() + " -> " + transition.to());
    for (PolicyListener listener : listeners) {
      try {
        listener.onEvent(transition);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "circuit breaker listener " + listener + " threw", e);
      }
    }
  }

  Outcome classify(@Nullable Throwable failure, @Nullable Object result) {
    if (failure != null) {
      Throwable cause = Outcomes.unwrap(failure);
      if (Outcomes.alwaysIgnored(cause) || config.ignoreFailure().test(cause)) {
        return Outcome.IGNORE;
      }
      return config.recordFailure().test(cause) ? Outcome.FAILURE : Outcome.SUCCESS;
    }
    return config.failureResult().test(result) ? Outcome.FAILURE : Outcome.SUCCESS;
  }

  void recordSuccess(StatePermit permit) {
    successes.increment();
    permit.state.onSuccess(permit, isSlow(permit));
  }

  void recordFailure(StatePermit permit) {
    failures.increment();
    permit.state.onFailure(permit, isSlow(permit));
  }

  void recordIgnore(StatePermit permit) {
    ignored.increment();
    permit.state.onIgnore(permit);
  }

  private boolean isSlow(StatePermit permit) {
    return measuresDuration && time.nanoTime() - permit.startNanos >= slowCallNanos;
  }

  long doubledOpenDelay(long delayNanos) {
    return Math.min(maxOpenDelayNanos, Nanos.saturatedAdd(delayNanos, delayNanos));
  }

  @Override
  public CircuitSnapshot snapshot() {
    CircuitState state = state();
    BreakerState stage = current.get();
    SnapshotBuilder b = new SnapshotBuilder();
    stage.describe(b);
    return new CircuitSnapshot(
        name,
        state,
        Duration.ofNanos(stage.retryAfterNanos(time.nanoTime())),
        Duration.ofNanos(stage.openDelayNanos()),
        b.consecutiveFailures,
        b.windowCalls,
        b.windowFailureRate,
        b.windowSlowCallRate,
        b.probesInFlight,
        b.probeSuccesses,
        new CircuitSnapshot.Counts(
            permitted.sum(),
            rejected.sum(),
            successes.sum(),
            failures.sum(),
            ignored.sum(),
            probesReclaimed.sum()));
  }

  @Override
  public String toString() {
    return "CircuitBreaker[" + name + ", " + current.get().state() + "]";
  }
}
