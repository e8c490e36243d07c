package dev.sluice.throttle;

import java.time.Duration;

/**
 * One change of a throttle's limits, as passed to {@link dev.sluice.event.ThrottleSlowedDown} and
 * {@link dev.sluice.event.ThrottleSpedUp}: the concurrency and dispatch interval before and after,
 * and the safe ceiling after the change.
 *
 * @param oldConcurrency the concurrency limit before
 * @param newConcurrency the concurrency limit after
 * @param oldInterval the adaptive dispatch interval before
 * @param newInterval the adaptive dispatch interval after
 * @param safeCeiling the highest concurrency speed-ups may reach after the change
 */
public record Adjustment(
    int oldConcurrency,
    int newConcurrency,
    Duration oldInterval,
    Duration newInterval,
    int safeCeiling) {}
