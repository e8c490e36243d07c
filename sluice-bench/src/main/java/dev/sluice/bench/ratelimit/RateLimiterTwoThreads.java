package dev.sluice.bench.ratelimit;

import org.openjdk.jmh.annotations.Threads;

/** {@link RateLimiterBenchmark} on two threads. */
@Threads(2)
public class RateLimiterTwoThreads extends RateLimiterBenchmark {}
