package dev.sluice.metrics;

import dev.sluice.ratelimit.store.LimitStore;
import dev.sluice.ratelimit.store.MemoryStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * The keys a {@link LimitStore} tracks ({@code sluice.ratelimit.store.keys}) and, for a {@link
 * MemoryStore}, its bound ({@code sluice.ratelimit.store.max.keys}) and the keys it evicted ({@code
 * sluice.ratelimit.store.evictions}). Read at each scrape.
 *
 * <pre>{@code
 * new LimitStoreMetrics(store, "local").bindTo(registry);
 * }</pre>
 */
public final class LimitStoreMetrics implements MeterBinder {
  private final LimitStore store;
  private final String name;

  /**
   * Observes one store.
   *
   * @param store the store
   * @param name the value of the {@code store} tag
   * @throws IllegalArgumentException if the name is blank
   */
  public LimitStoreMetrics(LimitStore store, String name) {
    this.store = Objects.requireNonNull(store, "store");
    this.name = TagValues.requireName("store.metrics.name", name);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("sluice.ratelimit.store.keys", store, LimitStore::size)
        .description("Keys the rate-limit store holds state for")
        .tag("store", name)
        .strongReference(true)
        .register(registry);
    if (store instanceof MemoryStore memory) {
      Gauge.builder("sluice.ratelimit.store.max.keys", memory, MemoryStore::maxKeys)
          .description("The most keys the in-memory store keeps before it evicts")
          .tag("store", name)
          .strongReference(true)
          .register(registry);
      FunctionCounter.builder("sluice.ratelimit.store.evictions", memory, MemoryStore::evictions)
          .description("Keys the in-memory store removed to stay within its bound")
          .tag("store", name)
          .register(registry);
    }
  }
}
