package dev.sluice.retry;

import java.time.Duration;

/**
 * What a {@link RetryListener} learns about one attempt's outcome.
 *
 * @param attempt the number of the attempt that just ended, from 1
 * @param elapsed time since the first attempt started
 * @param failure the attempt's failure, or {@code null} if it returned a result
 * @param result the attempt's result, or {@code null} if it failed (or returned {@code null})
 * @param decision what the policy decided; a {@link RetryDecision.Retry} carries the delay
 */
public record RetryEvent(
    int attempt, Duration elapsed, Throwable failure, Object result, RetryDecision decision) {}
