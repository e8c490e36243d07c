package dev.sluice.bench.breaker;

import org.openjdk.jmh.annotations.Threads;

/** {@link BreakerOverhead} with one thread. */
@Threads(1)
public class BreakerOverhead1Thread extends BreakerOverhead {}
