package dev.sluice.breaker;

import dev.sluice.time.Nanos;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Calls pass; failures are counted by each enabled trip rule, and any rule may open it. */
final class ClosedState extends BreakerState {
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final @Nullable FailureTimeline timeline;
  private final @Nullable OutcomeWindow window;

  ClosedState(DefaultCircuitBreaker breaker) {
    super(breaker);
    CircuitBreakerConfig config = breaker.config;
    this.timeline =
        config.windowFailures() > 0
            ? new FailureTimeline(config.windowFailures(), Nanos.saturated(config.failureWindow()))
            : null;
    this.window = config.rateRuleEnabled() ? OutcomeWindow.of(config) : null;
  }

  @Override
  CircuitState state() {
    return CircuitState.CLOSED;
  }

  @Override
  StatePermit tryAcquire() {
    return new StatePermit(this, breaker.measuresDuration ? breaker.time.nanoTime() : 0L, -1);
  }

  @Override
  long retryAfterNanos(long now) {
    return 0;
  }

  @Override
  long openDelayNanos() {
    return breaker.baseOpenDelayNanos;
  }

  @Override
  void onSuccess(@Nullable StatePermit permit, boolean slow) {
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
    if (window != null && window.record(false, slow, breaker.time.nanoTime())) {
      open();
    }
  }

  @Override
  void onFailure(@Nullable StatePermit permit, boolean slow) {
    int threshold = breaker.config.consecutiveFailures();
    boolean trip = consecutiveFailures.incrementAndGet() >= threshold && threshold > 0;
    if (timeline != null || window != null) {
      long now = breaker.time.nanoTime();
      trip |= timeline != null && timeline.recordFailure(now);
      trip |= window != null && window.record(true, slow, now);
    }
    if (trip) {
      open();
    }
  }

  private void open() {
    long delay = breaker.baseOpenDelayNanos;
    long until = Nanos.saturatedAdd(breaker.time.nanoTime(), delay);
    breaker.transition(this, new OpenState(breaker, until, delay));
  }

  @Override
  void describe(SnapshotBuilder snapshot) {
    snapshot.consecutiveFailures = consecutiveFailures.get();
    if (window != null) {
      window.describe(snapshot, breaker.time.nanoTime());
    }
  }
}
