package dev.sluice.breaker;

import dev.sluice.time.Nanos;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Exactly {@code halfOpenProbes} probes pass. Each probe owns one slot: empty, held by its permit,
 * or done (succeeded). A slot is claimed and released by compare-and-set, so no more permits than
 * slots are ever out, and a permit that is ignored, or not reported within the probe timeout, frees
 * its slot for the next caller. As many successes as slots close the breaker; the first failure
 * reopens it for twice the previous delay, capped.
 */
final class HalfOpenState extends BreakerState {
  private static final Object DONE = new Object();

  private final long delayNanos;
  private final AtomicReferenceArray<Object> slots;
  private final AtomicInteger successes = new AtomicInteger();

  HalfOpenState(DefaultCircuitBreaker breaker, long delayNanos) {
    super(breaker);
    this.delayNanos = delayNanos;
    this.slots = new AtomicReferenceArray<>(breaker.config.halfOpenProbes());
  }

  @Override
  CircuitState state() {
    return CircuitState.HALF_OPEN;
  }

  @Override
  @Nullable StatePermit tryAcquire() {
    long now = breaker.time.nanoTime();
    for (int i = 0; i < slots.length(); i++) {
      Object held = slots.get(i);
      if (held == null) {
        StatePermit permit = new StatePermit(this, now, i);
        if (slots.compareAndSet(i, null, permit)) {
          return permit;
        }
      } else if (held instanceof StatePermit stale
          && now - stale.startNanos >= breaker.probeTimeoutNanos) {
        StatePermit permit = new StatePermit(this, now, i);
        if (slots.compareAndSet(i, stale, permit)) {
          breaker.probesReclaimed.increment();
          return permit;
        }
      }
    }
    return null;
  }

  @Override
  void onSuccess(StatePermit permit, boolean slow) {
    if (slots.compareAndSet(permit.slot, permit, DONE)
        && successes.incrementAndGet() >= slots.length()) {
      breaker.transition(this, new ClosedState(breaker));
    }
  }

  @Override
  void onFailure(StatePermit permit, boolean slow) {
    if (slots.compareAndSet(permit.slot, permit, DONE)) {
      long delay = breaker.doubledOpenDelay(delayNanos);
      long until = Nanos.saturatedAdd(breaker.time.nanoTime(), delay);
      breaker.transition(this, new OpenState(breaker, until, delay));
    }
  }

  @Override
  void onIgnore(StatePermit permit) {
    slots.compareAndSet(permit.slot, permit, null);
  }

  /** Zero while a slot is free; else until the oldest probe times out, at most the base delay. */
  @Override
  long retryAfterNanos(long now) {
    long earliest = breaker.baseOpenDelayNanos;
    for (int i = 0; i < slots.length(); i++) {
      Object held = slots.get(i);
      if (held == null) {
        return 0;
      }
      if (held instanceof StatePermit probe) {
        earliest = Math.min(earliest, probe.startNanos + breaker.probeTimeoutNanos - now);
      }
    }
    return Math.max(0, earliest);
  }

  @Override
  long openDelayNanos() {
    return delayNanos;
  }

  @Override
  void describe(SnapshotBuilder snapshot) {
    int inFlight = 0;
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) instanceof StatePermit) {
        inFlight++;
      }
    }
    snapshot.probesInFlight = inFlight;
    snapshot.probeSuccesses = successes.get();
  }
}
