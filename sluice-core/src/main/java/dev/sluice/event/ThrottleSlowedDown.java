package dev.sluice.event;

import dev.sluice.throttle.Adjustment;

/**
 * A throttle slowed down after reaching its failure threshold.
 *
 * @param change concurrency and interval before and after, and the new safe ceiling
 */
public record ThrottleSlowedDown(Adjustment change) implements PolicyEvent {}
