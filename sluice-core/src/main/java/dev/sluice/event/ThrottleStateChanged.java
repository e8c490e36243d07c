package dev.sluice.event;

import dev.sluice.throttle.ThrottleState;

/**
 * A throttle's state changed; told in order, once per change.
 *
 * @param from the state before
 * @param to the state now
 */
public record ThrottleStateChanged(ThrottleState from, ThrottleState to) implements PolicyEvent {}
