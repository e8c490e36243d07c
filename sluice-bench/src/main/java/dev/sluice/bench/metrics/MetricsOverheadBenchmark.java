package dev.sluice.bench.metrics;

import dev.sluice.http.DecisionEvent;
import dev.sluice.http.HttpOutcome;
import dev.sluice.http.HttpRateLimiter;
import dev.sluice.http.HttpRequestView;
import dev.sluice.metrics.RateLimitMetrics;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.policy.Policy;
import dev.sluice.ratelimit.policy.Request;
import dev.sluice.ratelimit.policy.Verdict;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the rate-limit metrics binder adds to the HTTP layer's allow path: the same decision (peer
 * address identity, GCRA on the in-memory store, both header dialects) with and without {@link
 * RateLimitMetrics} listening and bound to a Prometheus registry, in the same run. With a listener
 * the limiter also times each decision, which is part of what the binder costs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class MetricsOverheadBenchmark {
  private static final long RATE = 1_000_000;
  private static final long BURST = 10_000_000_000L;

  /** Two limiters on the same policy, one observed. */
  @State(Scope.Benchmark)
  public static class Limiters {
    HttpRateLimiter bare;
    HttpRateLimiter observed;
    HttpRateLimiter observedWithoutTopClients;
    HttpRateLimiter listened;
    HttpRequestView request;
    RateLimitMetrics listenerOnly;
    Verdict verdict;
    Request policyRequest;

    @Setup(Level.Trial)
    public void setUp() {
      Policy policy =
          Policy.builder()
              .defaults(
                  List.of(
                      Limit.builder("per-second")
                          .quota(RATE)
                          .window(Duration.ofSeconds(1))
                          .burst(BURST)
                          .build()))
              .build();
      bare = HttpRateLimiter.builder(policy).build();
      RateLimitMetrics metrics = RateLimitMetrics.builder("public-api").build();
      metrics.bindTo(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
      observed = HttpRateLimiter.builder(policy).listener(metrics).build();
      RateLimitMetrics counted = RateLimitMetrics.builder("public-api").topClients(0).build();
      counted.bindTo(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
      observedWithoutTopClients = HttpRateLimiter.builder(policy).listener(counted).build();
      listened = HttpRateLimiter.builder(policy).listener(event -> {}).build();
      request = HttpRequestView.of("GET", "/api/items", "192.0.2.7", Map.of());
      listenerOnly = RateLimitMetrics.builder("public-api").build();
      listenerOnly.bindTo(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
      verdict = bare.decide(request).verdict();
      policyRequest = Request.anonymous("GET", "/api/items", "192.0.2.7");
    }
  }

  /** The allow path with no listener. */
  @Benchmark
  public void withoutMetrics(Limiters l, Blackhole sink) {
    consume(l.bare.decide(l.request), sink);
  }

  /** The same path with the metrics binder listening. */
  @Benchmark
  public void withMetrics(Limiters l, Blackhole sink) {
    consume(l.observed.decide(l.request), sink);
  }

  /** The same path with the binder listening and its top-N of clients turned off. */
  @Benchmark
  public void withMetricsWithoutTopClients(Limiters l, Blackhole sink) {
    consume(l.observedWithoutTopClients.decide(l.request), sink);
  }

  /** The same path with a listener that does nothing: what the decision event itself costs. */
  @Benchmark
  public void withEmptyListener(Limiters l, Blackhole sink) {
    consume(l.listened.decide(l.request), sink);
  }

  /** The binder alone, on a fresh event of one decision already made: what its listener costs. */
  @Benchmark
  public void binderOnly(Limiters l) {
    l.listenerOnly.onDecision(new DecisionEvent(l.verdict, l.policyRequest, null, -1));
  }

  private static void consume(HttpOutcome outcome, Blackhole sink) {
    outcome.forEachHeader(
        (name, value) -> {
          sink.consume(name);
          sink.consume(value);
        });
    sink.consume(outcome.proceed());
  }
}
