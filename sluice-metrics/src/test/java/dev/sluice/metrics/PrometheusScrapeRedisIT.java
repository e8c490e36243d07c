package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.durable.Durable;
import dev.sluice.durable.Task;
import dev.sluice.durable.store.SqliteExecutionStore;
import dev.sluice.http.HttpRateLimiter;
import dev.sluice.http.HttpRequestView;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.policy.Policy;
import dev.sluice.redis.RedisStore;
import dev.sluice.redis.RedisStoreConfig;
import dev.sluice.testkit.RedisExtension;
import dev.sluice.throttle.Throttle;
import dev.sluice.throttle.ThrottleConfig;
import dev.sluice.time.ManualTimeSource;
import dev.sluice.time.TimeSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus exposition of a rate limiter on a real Redis store, with the store's binders, a
 * throttle and a durable engine: valid text, and the same series after 100,000 distinct clients
 * made requests through Redis as before.
 */
class PrometheusScrapeRedisIT {
  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  private static final int CLIENTS = 100_000;
  private static final int CALLERS = 16;

  @Test
  void scrapeIsValidAndSeriesStayConstantOver100000ClientsOnRedis(@TempDir Path dir)
      throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RedisStoreMetrics redisMetrics = new RedisStoreMetrics("shared");
    RedisStore store =
        RedisStore.create(
            RedisStoreConfig.builder()
                .standalone(REDIS.server().host() + ":" + REDIS.server().port())
                .keyPrefix("scrape-" + System.nanoTime() + ":")
                .commandTimeout(Duration.ofSeconds(5))
                .listener(redisMetrics)
                .build());
    ManualTimeSource time = new ManualTimeSource();
    SqliteExecutionStore executions = SqliteExecutionStore.open(dir.resolve("sluice.db"));
    try (store) {
      redisMetrics.track(store).bindTo(registry);
      new LimitStoreMetrics(store, "redis").bindTo(registry);
      RateLimitMetrics limits = RateLimitMetrics.builder("public-api").build();
      limits.bindTo(registry);
      HttpRateLimiter limiter =
          HttpRateLimiter.builder(
                  Policy.builder()
                      .defaults(List.of(Limit.of("per-hour", 1, Duration.ofHours(1))))
                      .build())
              .limiter(RateLimiter.builder().store(store).timeSource(TimeSource.system()).build())
              .listener(limits)
              .build();
      new PenaltyMetrics(limiter.enforcer(), "public-api").bindTo(registry);
      Throttle throttle =
          Throttle.create(ThrottleConfig.builder().jitterFraction(0).build(), time, new Random(1));
      ThrottleMetrics.of(throttle, "partner-api").bindTo(registry);
      Durable durable = Durable.builder().store(executions).timeSource(time).build();
      Task<Integer, Integer> task =
          durable.register(Task.of("double", Integer.class, Integer.class, (ctx, n) -> n * 2));
      durable.dispatch(task, 1);
      DurableMetrics.builder(durable).build().bindTo(registry);

      // every outcome the traffic below produces appears once before the first scrape
      limiter.decide(request("192.168.0.1"));
      limiter.decide(request("192.168.0.1"));
      String before = registry.scrape();
      Exposition.assertValid(before);
      assertThat(before)
          .contains("sluice_redis_command_duration_seconds_count{")
          .contains("sluice_redis_errors_total{")
          .contains("sluice_redis_breaker_transitions_total{")
          .contains("sluice_ratelimit_decisions_total{")
          .contains("sluice_throttle_concurrency{")
          .contains("sluice_durable_executions{state=\"pending\"} 1.0");

      try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
          int caller = c;
          done.add(
              callers.submit(
                  () -> {
                    for (int client = caller; client < CLIENTS; client += CALLERS) {
                      String peer =
                          "10."
                              + (client >> 16)
                              + "."
                              + ((client >> 8) & 255)
                              + "."
                              + (client & 255);
                      limiter.decide(request(peer)); // allowed
                      limiter.decide(request(peer)); // denied
                    }
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      }
      String after = registry.scrape();
      Exposition.assertValid(after);
      assertThat(Exposition.series(after)).isEqualTo(Exposition.series(before));
      assertThat(after)
          .contains(
              "sluice_ratelimit_decisions_total{outcome=\"denied\",policy=\"public-api\","
                  + "rule=\"none\",tier=\"anonymous\"} 100001.0");
      // every allowed decision was a script call on Redis, none failed
      assertThat(
              registry
                  .get("sluice.redis.command.duration")
                  .tag("outcome", "success")
                  .timer()
                  .count())
          .isGreaterThanOrEqualTo(CLIENTS);
      assertThat(
              registry
                  .get("sluice.redis.command.duration")
                  .tag("outcome", "failure")
                  .timer()
                  .count())
          .isZero();
    } finally {
      executions.close();
    }
  }

  private static HttpRequestView request(String peer) {
    return HttpRequestView.of("GET", "/items", peer, Map.of());
  }
}
