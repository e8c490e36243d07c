package dev.sluice.event;

import dev.sluice.throttle.Adjustment;

/**
 * A throttle took one speed-up step after a period without failure.
 *
 * @param change concurrency and interval before and after, and the safe ceiling
 */
public record ThrottleSpedUp(Adjustment change) implements PolicyEvent {}
