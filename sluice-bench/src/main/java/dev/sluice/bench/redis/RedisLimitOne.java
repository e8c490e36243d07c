package dev.sluice.bench.redis;

import org.openjdk.jmh.annotations.Threads;

/** {@link RedisLimitBenchmark} with one caller. */
@Threads(1)
public class RedisLimitOne extends RedisLimitBenchmark {}
