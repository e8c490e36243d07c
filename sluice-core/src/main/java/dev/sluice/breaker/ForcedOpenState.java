package dev.sluice.breaker;

import org.jspecify.annotations.Nullable;

/** Opened by hand: every call is rejected until the breaker is reset. */
final class ForcedOpenState extends BreakerState {
  ForcedOpenState(DefaultCircuitBreaker breaker) {
    super(breaker);
  }

  @Override
  CircuitState state() {
    return CircuitState.FORCED_OPEN;
  }

  @Override
  @Nullable StatePermit tryAcquire() {
    return null;
  }

  /** Unknown: the breaker stays open until reset; the base delay is a hint. */
  @Override
  long retryAfterNanos(long now) {
    return breaker.baseOpenDelayNanos;
  }

  @Override
  long openDelayNanos() {
    return breaker.baseOpenDelayNanos;
  }
}
