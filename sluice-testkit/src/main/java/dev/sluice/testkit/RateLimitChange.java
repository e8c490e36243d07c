package dev.sluice.testkit;

import java.time.Duration;

/**
 * A scheduled change of a {@link RateLimitedServer}'s limit, so a test can make the limit drop or
 * rise mid-run and watch a client adapt. A token bucket keeps its tokens, capped at the new burst;
 * a fixed window keeps its count for the current window and applies the new quota to it.
 *
 * @param offset when the change takes effect, measured from the server start
 * @param rate the new rate, requests per second
 * @param burst the new bucket capacity (ignored by a fixed window)
 */
public record RateLimitChange(Duration offset, double rate, double burst) {}
