package dev.sluice.bench.ratelimit;

import org.openjdk.jmh.annotations.Threads;

/** {@link RateLimiterBenchmark} on one thread. */
@Threads(1)
public class RateLimiterOneThread extends RateLimiterBenchmark {}
