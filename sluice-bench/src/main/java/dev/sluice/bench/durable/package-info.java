/** Benchmarks of durable execution throughput on PostgreSQL, beside a peer scheduler. */
@NullMarked
package dev.sluice.bench.durable;

import org.jspecify.annotations.NullMarked;
