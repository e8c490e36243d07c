package dev.sluice.ratelimit;

/**
 * One request in a generated arrival sequence: how long after the previous one, and its cost.
 *
 * @param gapNanos the time since the previous arrival
 * @param cost the permits it asks for
 */
public record Arrival(long gapNanos, long cost) {}
