package dev.sluice.bench.http;

import org.openjdk.jmh.annotations.Threads;

/** {@link FilterCostBenchmark} on one thread. */
@Threads(1)
public class FilterCostOneThread extends FilterCostBenchmark {}
