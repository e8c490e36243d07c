/** JMH benchmarks of the circuit breaker's overhead per call, beside peer libraries. */
@NullMarked
package dev.sluice.bench.breaker;

import org.jspecify.annotations.NullMarked;
