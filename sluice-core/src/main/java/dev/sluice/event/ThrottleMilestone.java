package dev.sluice.event;

import dev.sluice.throttle.ThrottleSnapshot;

/**
 * A throttle's progress crossed a 10% milestone of its configured total tasks.
 *
 * @param percent the milestone: 10, 20 ... 100
 * @param snapshot the throttle's figures when it was crossed
 */
public record ThrottleMilestone(int percent, ThrottleSnapshot snapshot) implements PolicyEvent {}
