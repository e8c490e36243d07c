/** JMH benchmarks of the rate limiter's algorithms, beside peer libraries. */
@NullMarked
package dev.sluice.bench.ratelimit;

import org.jspecify.annotations.NullMarked;
