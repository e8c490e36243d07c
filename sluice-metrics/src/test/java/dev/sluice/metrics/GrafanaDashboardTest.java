package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.breaker.CircuitBreaker;
import dev.sluice.durable.Durable;
import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionRun;
import dev.sluice.durable.store.SqliteExecutionStore;
import dev.sluice.http.HttpRateLimiter;
import dev.sluice.http.HttpRequestView;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.policy.Penalty;
import dev.sluice.ratelimit.policy.Policy;
import dev.sluice.ratelimit.store.MemoryStore;
import dev.sluice.throttle.Throttle;
import dev.sluice.throttle.ThrottleConfig;
import dev.sluice.time.ManualTimeSource;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard shipped in {@code dev/sluice/metrics/grafana-dashboard.json} queries only
 * series that a Prometheus scrape of the binders, bound to real components, contains. The Redis
 * row's series ({@value #REDIS_PREFIX}) need a server: {@code GrafanaDashboardRedisIT} checks them.
 */
class GrafanaDashboardTest {
  /** The prefix of the series of {@code RedisStoreMetrics}, left to the integration test. */
  static final String REDIS_PREFIX = "sluice_redis_";

  private static final String DASHBOARD = "/dev/sluice/metrics/grafana-dashboard.json";
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*\\}");
  private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern IDENTIFIER =
      Pattern.compile("(?<![\\w:$.])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "inf");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");

  private final ManualTimeSource time = new ManualTimeSource();

  @Test
  void everyMetricTheDashboardQueriesIsInAScrapeOfTheBinders(@TempDir Path dir) throws IOException {
    Set<String> used = queriedMetrics();
    used.removeIf(name -> name.startsWith(REDIS_PREFIX));
    assertThat(used)
        .contains(
            "sluice_ratelimit_decisions_total",
            "sluice_ratelimit_decision_duration_seconds_bucket",
            "sluice_durable_executions",
            "sluice_durable_dead_letters",
            "sluice_durable_claim_duration_seconds_bucket",
            "sluice_durable_executions_started_total",
            "sluice_durable_dispatch_to_start_seconds_bucket");

    Set<String> scraped = scrapedSeries(dir);
    assertThat(missing(used, scraped))
        .as("metrics the dashboard queries but no binder exports")
        .isEmpty();

    // the check can fail: an invented name, or a counter queried without its _total, is reported
    Set<String> wrong =
        metricNames(
            "sum(rate(sluice_ratelimit_invented_total{policy=~\"$policy\"}[5m]))"
                + " / sum by (outcome) (rate(sluice_ratelimit_decisions[5m]))"
                + " + histogram_quantile(0.99, rate(sluice_ratelimit_decision_duration_seconds_bucket[5m]))");
    assertThat(missing(wrong, scraped))
        .containsExactly("sluice_ratelimit_decisions", "sluice_ratelimit_invented_total");
  }

  @Test
  void metricNamesIgnoreFunctionsLabelsStringsAndRanges() {
    assertThat(
            metricNames(
                "histogram_quantile(0.99, sum by (le, policy) (rate(a_bucket{policy=~\"x|y\","
                    + " outcome!=\"b_total\"}[$__rate_interval]))) / ignoring(le) b_total offset 5m"
                    + " > bool 0 and on(policy) c == 1"))
        .containsExactly("a_bucket", "b_total", "c");
  }

  /**
   * Every metric name the dashboard queries, from each panel's {@code expr} and from the variables'
   * {@code label_values} queries.
   */
  static Set<String> queriedMetrics() throws IOException {
    JsonNode dashboard = readDashboard();
    List<String> exprs = new ArrayList<>();
    collect(dashboard.path("panels"), "expr", exprs);
    assertThat(exprs).as("queries of the dashboard's panels").hasSizeGreaterThan(15);
    List<String> variables = new ArrayList<>();
    collect(dashboard.path("templating"), "definition", variables);
    assertThat(variables).as("label_values queries of the dashboard's variables").hasSize(2);

    Set<String> used = new TreeSet<>();
    for (String expr : exprs) {
      Set<String> names = metricNames(expr);
      assertThat(names).as("metric names in %s", expr).isNotEmpty();
      used.addAll(names);
    }
    for (String variable : variables) {
      Matcher m = LABEL_VALUES.matcher(variable);
      assertThat(m.find()).as("variable query %s", variable).isTrue();
      used.add(m.group(1));
    }
    return used;
  }

  /** The sample names of a scrape, as Prometheus stores them (with their suffixes). */
  static Set<String> sampleNames(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        int end = line.indexOf('{');
        names.add(line.substring(0, end >= 0 ? end : line.indexOf(' ')));
      }
    }
    return names;
  }

  /** Metric names in a PromQL expression: identifiers outside strings, matchers, ranges. */
  static Set<String> metricNames(String expr) {
    String bare = STRING.matcher(expr).replaceAll("\"\"");
    bare = MATCHERS.matcher(bare).replaceAll(" ");
    bare = RANGE.matcher(bare).replaceAll(" ");
    bare = GROUPING.matcher(bare).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(bare);
    while (m.find()) {
      String name = m.group(1);
      if (!KEYWORDS.contains(name.toLowerCase(Locale.ROOT)) && !isDuration(bare, m)) {
        names.add(name);
      }
    }
    return names;
  }

  /** Whether an identifier is the unit of a number, as the {@code m} of {@code offset 5m}. */
  private static boolean isDuration(String text, Matcher m) {
    return m.start() > 0 && Character.isDigit(text.charAt(m.start() - 1));
  }

  static Set<String> missing(Set<String> used, Set<String> scraped) {
    Set<String> missing = new TreeSet<>(used);
    missing.removeAll(scraped);
    return missing;
  }

  private static JsonNode readDashboard() throws IOException {
    try (InputStream in = GrafanaDashboardTest.class.getResourceAsStream(DASHBOARD)) {
      assertThat(in).as("resource %s", DASHBOARD).isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }

  private static void collect(JsonNode node, String field, List<String> into) {
    if (node.isObject()) {
      JsonNode value = node.get(field);
      if (value != null && value.isTextual()) {
        into.add(value.asText());
      }
      node.forEach(child -> collect(child, field, into));
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, field, into));
    }
  }

  /**
   * The sample names of a scrape (so {@code _total}, {@code _bucket}, {@code _count}, {@code _sum}
   * and {@code _max} series appear as Prometheus stores them) after every binder but Redis's is
   * bound to a real component and traffic produced the meters that appear with their first event.
   */
  private Set<String> scrapedSeries(Path dir) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MemoryStore store = MemoryStore.create();
    RateLimitMetrics limits = RateLimitMetrics.builder("public-api").build();
    limits.bindTo(registry);
    new LimitStoreMetrics(store, "local").bindTo(registry);
    HttpRateLimiter limiter =
        HttpRateLimiter.builder(
                Policy.builder()
                    .defaults(List.of(Limit.of("per-minute", 1, Duration.ofMinutes(1))))
                    .penalty(
                        Penalty.builder()
                            .threshold(1)
                            .cooldown(Duration.ofMinutes(1))
                            .maxCooldown(Duration.ofMinutes(10))
                            .build())
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
      DurableMetrics.builder(durable).build().bindTo(registry);
      WorkerMetrics workers = new WorkerMetrics();
      workers.bindTo(registry);

      // allowed at the limit (near limit), denied, then refused while penalized
      for (int i = 0; i < 3; i++) {
        limiter.decide(HttpRequestView.of("GET", "/items", "203.0.113.7", Map.of()));
      }
      limits.onDecision(Events.expiredToken());
      // a claim, a run of each outcome, a lease lost and a write refused
      ExecutionRun run = new ExecutionRun(ExecutionId.timeOrdered(time), "send-mail", "default", 1);
      workers.onClaim(1, 2_000_000);
      workers.onStarted(run, 15_000_000);
      workers.onCompleted(run);
      workers.onFailed(run, new IllegalStateException("smtp down"), true);
      workers.onFailed(run, new IllegalStateException("smtp down"), false);
      workers.onLeaseLost(run, false);
      workers.onWriteRefused(run, "completion");

      return sampleNames(registry.scrape());
    } finally {
      throttle.close();
      executions.close();
    }
  }
}
