package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.Limit;
import dev.sluice.redis.RedisStore;
import dev.sluice.redis.RedisStoreConfig;
import dev.sluice.testkit.RedisExtension;
import dev.sluice.testkit.RedisServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Redis row of the Grafana dashboard queries only series that a Prometheus scrape of {@link
 * RedisStoreMetrics}, bound to a store on a real Redis, contains; {@link GrafanaDashboardTest}
 * checks every other row without a server.
 */
class GrafanaDashboardRedisIT {
  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  @Test
  void everyRedisMetricTheDashboardQueriesIsInAScrapeOfTheBinder() throws IOException {
    Set<String> used = new TreeSet<>(GrafanaDashboardTest.queriedMetrics());
    used.removeIf(name -> !name.startsWith(GrafanaDashboardTest.REDIS_PREFIX));
    assertThat(used)
        .contains(
            "sluice_redis_decisions_total",
            "sluice_redis_command_duration_seconds_bucket",
            "sluice_redis_errors_total",
            "sluice_redis_script_reloads_total",
            "sluice_redis_breaker_state",
            "sluice_redis_breaker_transitions_total");

    RedisServer server = REDIS.server();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RedisStoreMetrics metrics = new RedisStoreMetrics("shared");
    try (RedisStore store =
        RedisStore.create(
            RedisStoreConfig.builder()
                .standalone(server.host() + ":" + server.port())
                .listener(metrics)
                .build())) {
      metrics.track(store).bindTo(registry);
      store.decide("dashboard", List.of(Limit.of("per-hour", 1, Duration.ofHours(1))), 1, 0);
      Set<String> scraped = GrafanaDashboardTest.sampleNames(registry.scrape());
      assertThat(GrafanaDashboardTest.missing(used, scraped))
          .as("Redis metrics the dashboard queries but RedisStoreMetrics does not export")
          .isEmpty();
      // the check can fail: a counter queried without its _total is reported
      assertThat(GrafanaDashboardTest.missing(Set.of("sluice_redis_errors"), scraped))
          .containsExactly("sluice_redis_errors");
    }
  }
}
