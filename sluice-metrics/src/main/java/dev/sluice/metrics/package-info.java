/**
 * Micrometer binders over the public listeners and snapshots of Sluice's components, and a
 * structured decision log.
 *
 * <p>One binder per component, each a {@link io.micrometer.core.instrument.binder.MeterBinder}:
 * {@link dev.sluice.metrics.RateLimitMetrics} (the HTTP layer's decisions), {@link
 * dev.sluice.metrics.LimitStoreMetrics}, {@link dev.sluice.metrics.CircuitBreakerMetrics}, {@link
 * dev.sluice.metrics.RetryMetrics}, {@link dev.sluice.metrics.ThrottleMetrics}, {@link
 * dev.sluice.metrics.DurableMetrics} (an engine's store), {@link dev.sluice.metrics.WorkerMetrics}
 * (what durable workers do) and {@link dev.sluice.metrics.RedisStoreMetrics}. Names are dotted and
 * lower case ({@code sluice.ratelimit.decisions}), so Prometheus renders them as {@code
 * sluice_ratelimit_decisions_total}; tags come only from bounded sets (policy, rule, tier, outcome,
 * state, reason, task, queue, the names given to the binders), never from a client address, a user,
 * a key or an execution id. Per-client figures go through {@link dev.sluice.metrics.TopClients}, a
 * bounded top-N whose other clients are summed. See {@code docs/metrics.md} for every metric.
 *
 * <p>The components themselves know nothing of Micrometer; each binder reads what they publish.
 */
@NullMarked
package dev.sluice.metrics;

import org.jspecify.annotations.NullMarked;
