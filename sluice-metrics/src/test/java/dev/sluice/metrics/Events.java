package dev.sluice.metrics;

import dev.sluice.http.DecisionEvent;
import dev.sluice.http.TokenFailure;
import dev.sluice.ratelimit.policy.Outcome;
import dev.sluice.ratelimit.policy.Request;
import dev.sluice.ratelimit.policy.Verdict;

/** Decision events the tests hand to a listener directly. */
final class Events {
  private Events() {}

  /** An anonymous request whose bearer token had expired: what makes the token-failure meter. */
  static DecisionEvent expiredToken() {
    return new DecisionEvent(
        new Verdict(Outcome.ALLOWED, null, "anonymous", null, 0, 0),
        Request.anonymous("GET", "/items", "203.0.113.8"),
        TokenFailure.EXPIRED,
        0);
  }
}
