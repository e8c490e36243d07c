package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.breaker.CircuitBreaker;
import dev.sluice.durable.Durable;
import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionRun;
import dev.sluice.durable.Task;
import dev.sluice.durable.Worker;
import dev.sluice.durable.WorkerConfig;
import dev.sluice.durable.store.SqliteExecutionStore;
import dev.sluice.http.HttpRateLimiter;
import dev.sluice.http.HttpRequestView;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.policy.Penalty;
import dev.sluice.ratelimit.policy.Policy;
import dev.sluice.ratelimit.store.MemoryStore;
import dev.sluice.retry.RetryPolicy;
import dev.sluice.throttle.Throttle;
import dev.sluice.throttle.ThrottleConfig;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of {@code docs/metrics.md}, run; and its tables list exactly the metrics bound. */
class MetricsDocsExampleTest {
  private static final Path DOC = Path.of("..", "docs", "metrics.md");

  @Test
  void theExampleRunsAndEveryMetricBoundIsDocumented(@TempDir Path dir) throws IOException {
    Policy policy =
        Policy.builder()
            .defaults(List.of(Limit.of("per-minute", 1, Duration.ofMinutes(1))))
            .penalty(
                Penalty.builder()
                    .threshold(1)
                    .cooldown(Duration.ofMinutes(1))
                    .maxCooldown(Duration.ofMinutes(10))
                    .build())
            .build();
    Throttle throttle = Throttle.create(ThrottleConfig.builder().build());
    SqliteExecutionStore executions = SqliteExecutionStore.open(dir.resolve("sluice.db"));
    Durable durable = Durable.builder().store(executions).build();
    Task<String, Integer> length =
        durable.register(Task.of("length", String.class, Integer.class, (ctx, s) -> s.length()));
    Worker worker = null;
    try {
      // --- the example of docs/metrics.md ---
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

      RateLimitMetrics metrics = RateLimitMetrics.builder("public-api").topClients(10).build();
      DecisionLog log = DecisionLog.builder().allowedSampling(1000).build();
      MemoryStore store = MemoryStore.create();
      HttpRateLimiter limiter =
          HttpRateLimiter.builder(policy)
              .limiter(RateLimiter.builder().store(store).build())
              .listener(DecisionListeners.all(metrics, log))
              .build();
      metrics.bindTo(registry);
      new LimitStoreMetrics(store, "local").bindTo(registry);
      new PenaltyMetrics(limiter.enforcer(), "public-api").bindTo(registry);
      ThrottleMetrics.of(throttle, "partner-api").bindTo(registry);
      DurableMetrics.builder(durable).cacheFor(Duration.ofSeconds(5)).build().bindTo(registry);

      limiter.decide(HttpRequestView.of("GET", "/items", "203.0.113.7", Map.of()));
      String exposition = registry.scrape(); // serve this at /metrics

      CircuitBreakerMetrics breakers = new CircuitBreakerMetrics();
      CircuitBreaker breaker = CircuitBreaker.builder().name("payments").listener(breakers).build();
      breakers.track(breaker).bindTo(registry);

      RetryMetrics retries = new RetryMetrics("payments");
      RetryPolicy retryPolicy = RetryPolicy.builder().maxAttempts(5).listener(retries).build();
      retries.bindTo(registry);

      WorkerMetrics workers = new WorkerMetrics();
      workers.bindTo(registry);
      worker = durable.worker(WorkerConfig.builder().listener(workers).build()).start();
      // --- end of the example ---

      assertThat(exposition)
          .contains(
              "sluice_ratelimit_decisions_total{outcome=\"allowed\",policy=\"public-api\","
                  + "rule=\"none\",tier=\"anonymous\"} 1.0");
      assertThat(Sluice.with(retryPolicy).get(() -> "ok")).isEqualTo("ok");
      // the meters that appear with their first event: a denial, a penalty, a failed token
      limiter.decide(HttpRequestView.of("GET", "/items", "203.0.113.7", Map.of()));
      limiter.decide(HttpRequestView.of("GET", "/items", "203.0.113.7", Map.of()));
      metrics.onDecision(Events.expiredToken());
      ExecutionId id = durable.dispatch(length, "hello");
      assertThat(durable.waitFor(id, Integer.class, Duration.ofSeconds(10))).isEqualTo(5);
      workers.onWriteRefused(new ExecutionRun(id, "length", "default", 1), "completion");

      Set<String> bound = new TreeSet<>();
      for (Meter meter : registry.getMeters()) {
        bound.add(meter.getId().getName());
      }
      Set<String> documented = documented();
      documented.removeIf(name -> name.startsWith("sluice.redis.")); // RedisStoreMetricsIT
      assertThat(bound).isEqualTo(documented);
    } finally {
      if (worker != null) {
        worker.close();
      }
      throttle.close();
      executions.close();
    }
  }

  static Set<String> documented() throws IOException {
    Set<String> names = new TreeSet<>();
    Matcher row =
        Pattern.compile("(?m)^\\| `(sluice\\.[a-z.]+)` \\|").matcher(Files.readString(DOC));
    while (row.find()) {
      names.add(row.group(1));
    }
    return names;
  }
}
