/**
 * The gateway load benchmark: drives the gateway and a reference proxy at rising rates and reports
 * latency and CPU time.
 */
@NullMarked
package dev.sluice.bench.gateway;

import org.jspecify.annotations.NullMarked;
