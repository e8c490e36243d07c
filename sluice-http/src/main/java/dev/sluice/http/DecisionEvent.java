package dev.sluice.http;

import dev.sluice.ratelimit.policy.Outcome;

/**
 * One decision, for metrics and logs.
 *
 * @param outcome what the policy decided
 * @param ruleId the rule that matched, or null
 * @param tier the caller's tier
 * @param identity the key the caller was counted under
 * @param limitId the most restrictive limit consulted, or null when none
 * @param remaining permits left in that limit; -1 when none
 * @param retryAfterNanos when refused, the wait; 0 otherwise
 * @param decisionNanos how long the decision took
 * @param tokenFailure why a presented token was not believed, or null
 */
public record DecisionEvent(
    Outcome outcome,
    String ruleId,
    String tier,
    String identity,
    String limitId,
    long remaining,
    long retryAfterNanos,
    long decisionNanos,
    TokenFailure tokenFailure) {}
