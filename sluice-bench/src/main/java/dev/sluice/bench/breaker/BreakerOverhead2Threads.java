package dev.sluice.bench.breaker;

import org.openjdk.jmh.annotations.Threads;

/** {@link BreakerOverhead} with two threads sharing the breakers. */
@Threads(2)
public class BreakerOverhead2Threads extends BreakerOverhead {}
