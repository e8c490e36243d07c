package dev.sluice.metrics;

import dev.sluice.http.DecisionEvent;
import dev.sluice.http.TokenFailure;
import dev.sluice.ratelimit.policy.Outcome;

/** Decision events the tests hand to a listener directly. */
final class Events {
  private Events() {}

  /** An anonymous request whose bearer token had expired: what makes the token-failure meter. */
  static DecisionEvent expiredToken() {
    return new DecisionEvent(
        Outcome.ALLOWED,
        null,
        "anonymous",
        "ip:203.0.113.8",
        null,
        -1,
        0,
        0,
        TokenFailure.EXPIRED,
        "GET",
        "/items",
        -1,
        0);
  }
}
