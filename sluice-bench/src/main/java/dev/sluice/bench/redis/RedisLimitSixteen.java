package dev.sluice.bench.redis;

import org.openjdk.jmh.annotations.Threads;

/** {@link RedisLimitBenchmark} with 16 concurrent callers. */
@Threads(16)
public class RedisLimitSixteen extends RedisLimitBenchmark {}
