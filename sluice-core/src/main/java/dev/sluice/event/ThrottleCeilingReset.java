package dev.sluice.event;

/**
 * A throttle's safe ceiling returned to its maximum after the decay period without failure.
 *
 * @param from the ceiling before
 * @param to the ceiling now, the configured maximum concurrency
 */
public record ThrottleCeilingReset(int from, int to) implements PolicyEvent {}
