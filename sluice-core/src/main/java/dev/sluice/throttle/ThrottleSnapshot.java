package dev.sluice.throttle;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A consistent-enough picture of a {@link Throttle} at one moment, for dashboards, logs and tests.
 * Each field is read once; fields may come from slightly different instants under load.
 *
 * @param state the state
 * @param concurrency the current concurrency limit
 * @param maxConcurrency the configured maximum
 * @param safeCeiling the highest concurrency speed-ups may reach now
 * @param inFlight permits held now
 * @param waiting callers queued for a concurrency slot
 * @param dispatchInterval the spacing between dispatches in force (adaptive or server-asked)
 * @param serverInterval the spacing asked for by the server's rate-limit headers, zero if none
 * @param failuresInWindow failures counted in the current failure window
 * @param completedTasks successful completions
 * @param totalTasks the configured total, 0 if unknown
 * @param percentage completed share of the total in percent, 0 if unknown
 * @param eta estimated time to finish from recent throughput, empty if unknown
 * @param tokensUsed tokens spent or reserved in the current budget window, 0 without a budget
 * @param tokensRemaining tokens left in the budget window, empty without a budget
 */
public record ThrottleSnapshot(
    ThrottleState state,
    int concurrency,
    int maxConcurrency,
    int safeCeiling,
    int inFlight,
    int waiting,
    Duration dispatchInterval,
    Duration serverInterval,
    int failuresInWindow,
    long completedTasks,
    long totalTasks,
    double percentage,
    Optional<Duration> eta,
    long tokensUsed,
    OptionalLong tokensRemaining) {}
