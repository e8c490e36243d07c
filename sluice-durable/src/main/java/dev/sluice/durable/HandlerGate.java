package dev.sluice.durable;

import dev.sluice.throttle.Permit;
import dev.sluice.throttle.Throttle;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * What every handler run of a worker passes through: a throttle, a circuit breaker, a bulkhead, or
 * anything else that takes a {@link Callable}. Set it with {@link
 * WorkerConfig.Builder#gate(HandlerGate)}. For an adaptive throttle use {@link #throttled}, so a
 * batch of HTTP tasks paces itself against the API it calls; a method reference fits any other
 * gate.
 *
 * <p>The gate must run the call on the calling thread and return its result or rethrow its failure
 * unchanged, {@link Error}s included: a durable sleep or signal wait unwinds the handler with an
 * {@code Error} that the worker must receive.
 */
@FunctionalInterface
public interface HandlerGate {

  /** The gate that lets every call straight through. */
  HandlerGate OPEN =
      new HandlerGate() {
        @Override
        public <T> T call(Callable<T> work) throws Exception {
          return work.call();
        }
      };

  /**
   * Runs one handler call through the gate.
   *
   * @param work the handler call
   * @param <T> its result type
   * @return what {@code work} returned
   * @throws Exception what {@code work} threw, or the gate's own refusal
   */
  <T> T call(Callable<T> work) throws Exception;

  /**
   * A gate that runs every handler call under a permit of {@code throttle}: success when the
   * handler returns, failure when it throws. A handler that suspends (a durable sleep, a signal
   * wait, a child call not finished yet) is neither: its permit is released without an outcome, so
   * waiting never slows the throttle down.
   *
   * @param throttle the throttle to pace handler runs with
   * @return the gate
   */
  static HandlerGate throttled(Throttle throttle) {
    Objects.requireNonNull(throttle, "throttle");
    return new HandlerGate() {
      @Override
      public <T> T call(Callable<T> work) throws Exception {
        try (Permit permit = throttle.acquire()) {
          try {
            T value = work.call();
            permit.recordSuccess();
            return value;
          } catch (Suspension suspended) {
            throw suspended; // closed without an outcome
          } catch (Exception | Error e) {
            permit.recordFailure(e);
            throw e;
          }
        }
      }
    };
  }
}
