package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.store.MemoryStore;
import dev.sluice.time.ManualTimeSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The keys, bound and evictions of a real {@link MemoryStore}. */
class LimitStoreMetricsTest {
  private final ManualTimeSource time = new ManualTimeSource();

  @Test
  void evictionsCountTheKeysASweepRemoved() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MemoryStore store = MemoryStore.withMaxKeys(10);
    new LimitStoreMetrics(store, "local").bindTo(registry);
    RateLimiter limiter = RateLimiter.builder().timeSource(time).store(store).build();
    List<Limit> limits = List.of(Limit.of("per-second", 2, Duration.ofSeconds(1)));
    for (int i = 0; i < 10; i++) {
      limiter.decide("old-" + i, limits);
    }
    assertThat(evictions(registry)).isZero();

    time.advance(Duration.ofSeconds(1)); // every old key is whole again
    limiter.decide("new", limits); // the eleventh key makes the store sweep

    assertThat(evictions(registry)).isEqualTo(10).isEqualTo(store.evictions());
    assertThat(registry.get("sluice.ratelimit.store.keys").tag("store", "local").gauge().value())
        .isEqualTo(1);
    assertThat(registry.get("sluice.ratelimit.store.max.keys").gauge().value()).isEqualTo(10);
  }

  private static double evictions(SimpleMeterRegistry registry) {
    return registry
        .get("sluice.ratelimit.store.evictions")
        .tag("store", "local")
        .functionCounter()
        .count();
  }
}
