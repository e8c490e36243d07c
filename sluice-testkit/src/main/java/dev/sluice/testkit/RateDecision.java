package dev.sluice.testkit;

import java.time.Instant;

/**
 * One admission decision of a {@link RateLimiterState} and the limiter state right after it, all
 * the values the header dialects need.
 *
 * @param admitted whether the request fits
 * @param algorithm the algorithm that decided
 * @param rate the request rate in force, per second
 * @param remaining requests left (whole tokens, or left in the window)
 * @param nanosToReset until the bucket is full, or until the window ends
 * @param retryAfterNanos until the same request would be admitted (0 when admitted)
 * @param windowQuota requests per window (fixed window only)
 * @param windowSeconds window length in whole seconds (fixed window only)
 * @param windowUsed requests admitted in the current window (fixed window only)
 * @param tokensPerMinute the token quota, 0 when there is none
 * @param tokensRemaining whole tokens left in the token bucket
 * @param tokenNanosToFull until the token bucket is full
 * @param now the wall clock at the decision
 */
record RateDecision(
    boolean admitted,
    RateLimitAlgorithm algorithm,
    double rate,
    long remaining,
    long nanosToReset,
    long retryAfterNanos,
    long windowQuota,
    long windowSeconds,
    long windowUsed,
    long tokensPerMinute,
    long tokensRemaining,
    long tokenNanosToFull,
    Instant now) {}
