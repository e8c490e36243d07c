package dev.sluice.breaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/** A permit handed out by one {@link BreakerState}; reports reach it exactly once. */
final class StatePermit implements CircuitPermit {
  private static final VarHandle REPORTED;

  static {
    try {
      REPORTED = MethodHandles.lookup().findVarHandle(StatePermit.class, "reported", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final BreakerState state;
  final long startNanos;
  final int slot;

  @SuppressWarnings("unused") // accessed through REPORTED
  private volatile int reported;

  StatePermit(BreakerState state, long startNanos, int slot) {
    this.state = state;
    this.startNanos = startNanos;
    this.slot = slot;
  }

  private boolean claim() {
    return REPORTED.compareAndSet(this, 0, 1);
  }

  @Override
  public boolean recordSuccess() {
    if (!claim()) {
      return false;
    }
    state.breaker.recordSuccess(this);
    return true;
  }

  @Override
  public boolean recordFailure() {
    if (!claim()) {
      return false;
    }
    state.breaker.recordFailure(this);
    return true;
  }

  @Override
  public boolean recordIgnored() {
    if (!claim()) {
      return false;
    }
    state.breaker.recordIgnore(this);
    return true;
  }

  @Override
  public boolean recordOutcome(@Nullable Throwable failureOrNull, @Nullable Object resultOrNull) {
    return switch (state.breaker.classify(failureOrNull, resultOrNull)) {
      case SUCCESS -> recordSuccess();
      case FAILURE -> recordFailure();
      case IGNORE -> recordIgnored();
    };
  }

  @Override
  public void close() {
    recordIgnored();
  }

  @Override
  public String toString() {
    return "CircuitPermit[" + state.state() + (reported != 0 ? ", reported]" : "]");
  }
}
