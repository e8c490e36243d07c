package dev.sluice.throttle;

import dev.sluice.breaker.CircuitOpenException;
import dev.sluice.breaker.CircuitPermit;
import dev.sluice.time.TimeSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@link Throttle#acquireAsync} without blocking a thread: a concurrency slot from the gate's
 * queue, then a dispatch slot from the pacer on the time source's delay, then the breaker's
 * permission last. A token reservation, which may wait, runs on a virtual thread. A caller whose
 * slot was booked before a slow-down books again at the new spacing.
 */
final class AsyncAcquisition extends Acquisition {
  AsyncAcquisition(
      Throttle throttle,
      TimeSource time,
      ConcurrencyGate gate,
      DispatchPacer pacer,
      @Nullable TokenWindow tokens,
      ServerTokenQuota serverTokens,
      ThrottleAdaptation adaptation) {
    super(throttle, time, gate, pacer, tokens, serverTokens, adaptation);
  }

  CompletableFuture<Permit> acquire(long estimatedTokens) {
    try {
      throttle.checkAccepting();
      throttle.failFastIfOpen();
    } catch (ThrottleClosedException | CircuitOpenException e) {
      return CompletableFuture.failedFuture(e);
    }
    adaptation.review(time.nanoTime());
    CompletableFuture<Permit> result = new CompletableFuture<>();
    if (gate.inFlight() >= gate.limit()) {
      adaptation.markConstrained();
    }
    gate.acquireAsync()
        .whenComplete(
            (granted, failure) -> {
              if (failure != null) {
                result.completeExceptionally(new ThrottleClosedException(throttle.state()));
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
      TokenWindow.@Nullable Spend spend,
      ServerTokenQuota.@Nullable Reservation served,
      CompletableFuture<Permit> result) {
    long now = time.nanoTime();
    long booked = adaptation.generation();
    long dispatchAt = pacer.reserve(now);
    if (dispatchAt > now && pacer.adaptiveBinds(now)) {
      adaptation.markConstrained();
    }
    if (dispatchAt <= now) {
      handOver(spend, served, result, booked, now);
    } else {
      time.delay(Duration.ofNanos(dispatchAt - now))
          .thenRun(
              () -> {
                if (adaptation.generation() != booked && throttle.accepting()) {
                  pace(spend, served, result); // slowed down while it waited: book again
                } else {
                  handOver(spend, served, result, booked, now);
                }
              });
    }
  }

  private void handOver(
      TokenWindow.@Nullable Spend spend,
      ServerTokenQuota.@Nullable Reservation served,
      CompletableFuture<Permit> result,
      long booked,
      long bookedNanos) {
    CircuitPermit circuit;
    try {
      circuit = throttle.circuitPermission();
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
    Permit permit =
        new Permit(throttle, booked, spend, served, time.nanoTime(), bookedNanos, circuit);
    if (!throttle.accepting()) {
      permit.close();
      result.completeExceptionally(new ThrottleClosedException(throttle.state()));
    } else if (!result.complete(permit)) {
      permit.close(); // cancelled while pacing
    }
  }

  /**
   * {@link Throttle#callAsync}: the call starts once a permit is granted; its outcome is recorded.
   */
  <T extends @Nullable Object> CompletableFuture<T> call(
      Supplier<? extends CompletionStage<T>> task) {
    CompletableFuture<T> out = new CompletableFuture<>();
    acquire(1)
        .whenComplete(
            (permit, refused) -> {
              if (refused != null) {
                out.completeExceptionally(unwrap(refused));
                return;
              }
              CompletionStage<T> stage;
              try {
                stage = task.get();
              } catch (RuntimeException | Error e) {
                permit.recordFailure(e);
                permit.close();
                out.completeExceptionally(e);
                return;
              }
              stage.whenComplete(
                  (value, failure) -> {
                    Throwable cause = failure == null ? null : unwrap(failure);
                    if (cause == null) {
                      permit.recordSuccess();
                    } else {
                      permit.recordFailure(cause);
                    }
                    permit.close();
                    if (cause == null) {
                      out.complete(value);
                    } else {
                      out.completeExceptionally(cause);
                    }
                  });
            });
    return out;
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }
}
