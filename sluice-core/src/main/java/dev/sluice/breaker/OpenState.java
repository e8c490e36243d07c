package dev.sluice.breaker;

import org.jspecify.annotations.Nullable;

/** Every call is rejected until {@code untilNanos}; then the first caller moves it to half-open. */
final class OpenState extends BreakerState {
  final long untilNanos;
  private final long delayNanos;

  OpenState(DefaultCircuitBreaker breaker, long untilNanos, long delayNanos) {
    super(breaker);
    this.untilNanos = untilNanos;
    this.delayNanos = delayNanos;
  }

  @Override
  CircuitState state() {
    return CircuitState.OPEN;
  }

  @Override
  @Nullable StatePermit tryAcquire() {
    if (!halfOpenIfDue(breaker.time.nanoTime())) {
      return null;
    }
    // we, or a racing caller, moved on: ask whatever is current now
    return breaker.current().tryAcquire();
  }

  /** Moves to half-open once the delay has passed; true if this stage is over. */
  boolean halfOpenIfDue(long now) {
    if (now - untilNanos < 0) {
      return false;
    }
    breaker.transition(this, new HalfOpenState(breaker, delayNanos));
    return true;
  }

  @Override
  long retryAfterNanos(long now) {
    return Math.max(0, untilNanos - now);
  }

  @Override
  long openDelayNanos() {
    return delayNanos;
  }
}
