package dev.sluice.bench.http;

import org.openjdk.jmh.annotations.Threads;

/** {@link FilterCostBenchmark} on two threads. */
@Threads(2)
public class FilterCostTwoThreads extends FilterCostBenchmark {}
