package dev.sluice.durable;

import java.util.concurrent.Callable;

/**
 * What every handler run of a worker passes through: a throttle, a circuit breaker, a bulkhead, or
 * anything else that takes a {@link Callable}. Set it with {@link
 * WorkerConfig.Builder#gate(HandlerGate)}; a method reference fits, for example {@code
 * throttle::call} for an adaptive throttle, so a batch of HTTP tasks paces itself against the API
 * it calls.
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
}
