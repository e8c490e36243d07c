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
 * @param method the request's method
 * @param path the request's path, as decided on (for logs; never a metric tag)
 * @param quota the quota of the limit named by {@code limitId}; -1 when none
 * @param penaltyLevel the client's penalty level after this decision, 0 when none
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
    TokenFailure tokenFailure,
    String method,
    String path,
    long quota,
    int penaltyLevel) {}
