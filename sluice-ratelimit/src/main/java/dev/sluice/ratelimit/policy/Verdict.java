package dev.sluice.ratelimit.policy;

import dev.sluice.ratelimit.Decision;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The policy's answer for one request.
 *
 * @param outcome what was decided
 * @param ruleId the rule that matched, or null (defaults, exemptions, penalties)
 * @param tier the caller's tier
 * @param decision the limiter's decision with everything for the rate-limit headers; null when no
 *     limit was consulted (exempt, penalized, unlimited)
 * @param retryAfterNanos when blocked, how long until the same request may pass; 0 otherwise
 * @param penaltyLevel the client's current penalty level, 0 when none
 */
public record Verdict(
    Outcome outcome,
    @Nullable String ruleId,
    String tier,
    @Nullable Decision decision,
    long retryAfterNanos,
    int penaltyLevel) {

  /**
   * Whether the request must be refused (HTTP 429).
   *
   * @return true when denied or penalized
   */
  public boolean blocked() {
    return outcome.blocked();
  }

  /**
   * {@link #retryAfterNanos()} as a duration.
   *
   * @return the time to wait; zero when not blocked
   */
  public Duration retryAfter() {
    return Duration.ofNanos(retryAfterNanos);
  }

  /**
   * The limiter's decision, if limits were consulted.
   *
   * @return the decision, or empty
   */
  public Optional<Decision> limiterDecision() {
    return Optional.ofNullable(decision);
  }
}
