package dev.sluice.metrics;

import dev.sluice.breaker.CircuitState;
import dev.sluice.redis.RedisDecision;
import dev.sluice.redis.RedisStore;
import dev.sluice.redis.RedisStoreStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Metrics of a {@link RedisStore}, read from its {@link RedisStore#stats()} and {@link
 * RedisStore#breakerState()} at each scrape.
 *
 * <pre>{@code
 * new RedisStoreMetrics(store, "shared").bindTo(registry);
 * }</pre>
 *
 * <p>Meters, tagged with the store's name: {@code sluice.redis.decisions} by origin ({@code redis},
 * {@code over_limit_cache}, {@code fail_open}, {@code fail_closed}, {@code fallback}), {@code
 * sluice.redis.retries}, {@code sluice.redis.failures} and {@code sluice.redis.breaker.state} (1
 * for the current state).
 */
public final class RedisStoreMetrics implements MeterBinder {
  private final RedisStore store;
  private final String name;

  /**
   * Observes one store.
   *
   * @param store the store
   * @param name the value of the {@code store} tag
   * @throws IllegalArgumentException if the name is blank
   */
  public RedisStoreMetrics(RedisStore store, String name) {
    this.store = Objects.requireNonNull(store, "store");
    this.name = TagValues.requireName("redis.metrics.name", name);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    origin(registry, RedisDecision.Origin.REDIS, RedisStoreStats::redis);
    origin(registry, RedisDecision.Origin.OVER_LIMIT_CACHE, RedisStoreStats::overLimitCache);
    origin(registry, RedisDecision.Origin.FAIL_OPEN, RedisStoreStats::failOpen);
    origin(registry, RedisDecision.Origin.FAIL_CLOSED, RedisStoreStats::failClosed);
    origin(registry, RedisDecision.Origin.FALLBACK, RedisStoreStats::fallback);
    FunctionCounter.builder("sluice.redis.retries", store, s -> s.stats().retries())
        .description("Script calls sent again after a transient error")
        .tag("store", name)
        .register(registry);
    FunctionCounter.builder("sluice.redis.failures", store, s -> s.stats().failures())
        .description("Decisions on which Redis failed after retries, or the breaker refused")
        .tag("store", name)
        .register(registry);
    for (CircuitState state : CircuitState.values()) {
      Gauge.builder("sluice.redis.breaker.state", store, s -> s.breakerState() == state ? 1 : 0)
          .description("1 for the state of the breaker around Redis, 0 for the others")
          .tags("store", name, "state", TagValues.of(state))
          .strongReference(true)
          .register(registry);
    }
  }

  private void origin(
      MeterRegistry registry, RedisDecision.Origin origin, ToLongFunction<RedisStoreStats> count) {
    FunctionCounter.builder("sluice.redis.decisions", store, s -> count.applyAsLong(s.stats()))
        .description("Decisions of the Redis store, by who made them")
        .tags("store", name, "origin", TagValues.of(origin))
        .register(registry);
  }
}
