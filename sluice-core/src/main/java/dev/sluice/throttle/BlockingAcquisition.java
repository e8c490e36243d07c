package dev.sluice.throttle;

import dev.sluice.time.Nanos;
import dev.sluice.time.TimeSource;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@link Throttle#acquire} on the calling thread: a concurrency slot, then the token budget and the
 * server's token quota, then a dispatch slot from the pacer, then the breaker's permission last;
 * every wait parks through the time source and ends at one deadline. Whatever was taken is given
 * back when a later step fails. A caller whose slot was booked before a slow-down books again at
 * the new spacing.
 */
final class BlockingAcquisition extends Acquisition {
  BlockingAcquisition(
      Throttle throttle,
      TimeSource time,
      ConcurrencyGate gate,
      DispatchPacer pacer,
      @Nullable TokenWindow tokens,
      ServerTokenQuota serverTokens,
      ThrottleAdaptation adaptation) {
    super(throttle, time, gate, pacer, tokens, serverTokens, adaptation);
  }

  Permit acquire(long estimatedTokens, @Nullable Duration timeout) throws InterruptedException {
    throttle.checkAccepting();
    throttle.failFastIfOpen();
    // the clock is read only when something needs it: a pending review, pacing, a wait
    boolean timed =
        timeout != null
            || tokens != null
            || adaptation.reviewPending()
            || pacer.active()
            || gate.limit() == 1;
    long now = timed ? time.nanoTime() : Long.MIN_VALUE;
    long deadline =
        timeout == null ? NO_TIMEOUT : Nanos.saturatedAdd(now, Nanos.saturated(timeout));
    adaptation.review(now);
    if (!gate.tryAcquire()) {
      adaptation.markConstrained();
      ConcurrencyGate.Result admitted = gate.acquire(deadline);
      if (admitted == ConcurrencyGate.Result.CLOSED) {
        throw new ThrottleClosedException(throttle.state());
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
      long booked = adaptation.generation();
      long dispatchAt = now == Long.MIN_VALUE ? now : pacer.reserve(now);
      while (dispatchAt > now) {
        if (pacer.adaptiveBinds(now)) {
          adaptation.markConstrained();
        }
        if (dispatchAt > deadline) {
          throw new ThrottleTimeoutException(timeout, "a dispatch slot");
        }
        time.sleepUntil(dispatchAt);
        throttle.checkAccepting();
        if (adaptation.generation() == booked) {
          break;
        }
        booked = adaptation.generation();
        now = time.nanoTime();
        dispatchAt = pacer.reserve(now);
      }
      return new Permit(
          throttle, booked, spend, served, dispatchAt, now, throttle.circuitPermission());
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
}
