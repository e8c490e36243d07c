package dev.sluice.http;

/**
 * Observes every decision of an {@link HttpRateLimiter}. Called on the request thread: keep it
 * cheap. An exception it throws is logged once and otherwise ignored.
 */
@FunctionalInterface
public interface DecisionListener {
  /**
   * Receives one decision.
   *
   * @param event the decision
   */
  void onDecision(DecisionEvent event);
}
