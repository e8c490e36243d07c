package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.breaker.CircuitBreaker;
import dev.sluice.durable.Durable;
import dev.sluice.durable.Task;
import dev.sluice.durable.store.SqliteExecutionStore;
import dev.sluice.http.HttpRateLimiter;
import dev.sluice.http.HttpRequestView;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.policy.Policy;
import dev.sluice.ratelimit.store.MemoryStore;
import dev.sluice.throttle.Throttle;
import dev.sluice.throttle.ThrottleConfig;
import dev.sluice.time.ManualTimeSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus text exposition of a rate limiter, a throttle, a breaker and a durable engine:
 * every line follows the format's grammar, and the number of series does not grow with clients.
 */
class PrometheusScrapeTest {
  private final ManualTimeSource time = new ManualTimeSource();

  @Test
  void scrapeIsValidTextExpositionAndSeriesStayConstantOver100000Clients(@TempDir Path dir)
      throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MemoryStore store = MemoryStore.create();
    RateLimitMetrics limits = RateLimitMetrics.builder("public-api").build();
    limits.bindTo(registry);
    new LimitStoreMetrics(store, "local").bindTo(registry);
    HttpRateLimiter limiter =
        HttpRateLimiter.builder(
                Policy.builder()
                    .defaults(List.of(Limit.of("per-minute", 2, Duration.ofMinutes(1))))
                    .build())
            .limiter(RateLimiter.builder().store(store).timeSource(time).build())
            .listener(limits)
            .build();
    new PenaltyMetrics(limiter.enforcer(), "public-api").bindTo(registry);

    Throttle throttle =
        Throttle.create(ThrottleConfig.builder().jitterFraction(0).build(), time, new Random(1));
    ThrottleMetrics.of(throttle, "partner-api").bindTo(registry);
    CircuitBreakerMetrics breakers = new CircuitBreakerMetrics();
    breakers
        .track(
            CircuitBreaker.builder().name("payments").timeSource(time).listener(breakers).build())
        .bindTo(registry);
    new RetryMetrics("payments").bindTo(registry);

    SqliteExecutionStore executions = SqliteExecutionStore.open(dir.resolve("sluice.db"));
    try {
      Durable durable = Durable.builder().store(executions).timeSource(time).build();
      Task<Integer, Integer> task =
          durable.register(Task.of("double", Integer.class, Integer.class, (ctx, n) -> n * 2));
      durable.dispatch(task, 1);
      DurableMetrics.builder(durable).build().bindTo(registry);

      // every outcome that traffic below can produce appears once before the first count
      for (int i = 0; i < 3; i++) {
        limiter.decide(request("192.168.0.1"));
      }
      String before = registry.scrape();
      Exposition.assertValid(before);
      assertThat(before)
          .contains("sluice_ratelimit_decisions_total{")
          .contains("sluice_ratelimit_decision_duration_seconds_bucket{")
          .contains("sluice_throttle_concurrency{")
          .contains("sluice_throttle_dispatch_interval_seconds{")
          .contains("sluice_breaker_transitions_total{")
          .contains("sluice_durable_executions{state=\"pending\"} 1.0");

      for (int client = 0; client < 100_000; client++) {
        String peer = "10." + (client >> 16) + "." + ((client >> 8) & 255) + "." + (client & 255);
        for (int i = 0; i < 3; i++) {
          limiter.decide(request(peer)); // two allowed, one denied
        }
      }
      String after = registry.scrape();
      Exposition.assertValid(after);
      assertThat(Exposition.series(after)).isEqualTo(Exposition.series(before));
      assertThat(after)
          .contains(
              "sluice_ratelimit_decisions_total{outcome=\"denied\",policy=\"public-api\","
                  + "rule=\"none\",tier=\"anonymous\"} 100001.0");
    } finally {
      executions.close();
    }
  }

  private static HttpRequestView request(String peer) {
    return HttpRequestView.of("GET", "/items", peer, Map.of());
  }
}
