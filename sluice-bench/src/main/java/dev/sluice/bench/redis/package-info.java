/** JMH benchmarks of the Redis-backed limit store at several client concurrencies. */
@NullMarked
package dev.sluice.bench.redis;

import org.jspecify.annotations.NullMarked;
