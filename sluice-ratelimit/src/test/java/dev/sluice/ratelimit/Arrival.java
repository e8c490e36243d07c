package dev.sluice.ratelimit;

/** One request in a generated arrival sequence: how long after the previous one, and its cost. */
record Arrival(long gapNanos, long cost) {}
