package dev.sluice.bench.redis;

import org.openjdk.jmh.annotations.Threads;

/** {@link RedisLimitBenchmark} with 64 concurrent callers. */
@Threads(64)
public class RedisLimitSixtyFour extends RedisLimitBenchmark {}
