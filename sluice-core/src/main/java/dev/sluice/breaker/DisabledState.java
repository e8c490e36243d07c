package dev.sluice.breaker;

/** Switched off: every call passes and nothing is recorded. */
final class DisabledState extends BreakerState {
  DisabledState(DefaultCircuitBreaker breaker) {
    super(breaker);
  }

  @Override
  CircuitState state() {
    return CircuitState.DISABLED;
  }

  @Override
  StatePermit tryAcquire() {
    return new StatePermit(this, 0L, -1);
  }

  @Override
  long retryAfterNanos(long now) {
    return 0;
  }

  @Override
  long openDelayNanos() {
    return breaker.baseOpenDelayNanos;
  }
}
