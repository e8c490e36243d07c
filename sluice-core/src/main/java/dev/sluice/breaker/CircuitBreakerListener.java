package dev.sluice.breaker;

/**
 * Hears every state transition of a {@link CircuitBreaker}, exactly once each, on the thread that
 * made it. Keep it short and do not throw: an exception is logged and ignored.
 */
@FunctionalInterface
public interface CircuitBreakerListener {
  /**
   * Called after the breaker changed state.
   *
   * @param transition what changed
   */
  void onTransition(CircuitTransition transition);
}
