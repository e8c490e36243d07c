package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.breaker.CircuitState;
import dev.sluice.ratelimit.Limit;
import dev.sluice.redis.FailureMode;
import dev.sluice.redis.RedisErrorKind;
import dev.sluice.redis.RedisStore;
import dev.sluice.redis.RedisStoreConfig;
import dev.sluice.testkit.RedisExtension;
import dev.sluice.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Redis store's decisions by origin, its breaker, errors by kind, script reloads and the
 * duration of its calls, on a real Redis that is then killed. On the system time: the store's retry
 * pauses wait on its time source.
 */
class RedisStoreMetricsIT {
  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  private static final List<Limit> ONE_PER_HOUR =
      List.of(Limit.of("per-hour", 1, Duration.ofHours(1)));

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private RedisStore store;

  @AfterEach
  void restoreRedis() {
    if (store != null) {
      store.close();
    }
    if (!REDIS.server().isRunning()) {
      REDIS.server().restart();
    }
  }

  private static RedisStoreConfig.Builder config() {
    RedisServer server = REDIS.server();
    return RedisStoreConfig.builder()
        .standalone(server.host() + ":" + server.port())
        .commandTimeout(Duration.ofMillis(100))
        .reconnectDelayMax(Duration.ofMillis(100))
        .onFailure(FailureMode.FAIL_OPEN)
        .breaker(
            CircuitBreakerConfig.builder()
                .consecutiveFailures(3)
                .openDelay(Duration.ofMinutes(1))
                .build());
  }

  @Test
  void decisionsByOriginAndTheBreakerStateFollowTheStore() {
    store = RedisStore.create(config().build());
    new RedisStoreMetrics(store, "shared").bindTo(registry);

    String key = "metrics-" + System.identityHashCode(this);
    assertThat(store.decideWithOrigin(key, ONE_PER_HOUR, 1, 0).decision().allowed()).isTrue();
    assertThat(store.decideWithOrigin(key, ONE_PER_HOUR, 1, 0).decision().allowed()).isFalse();
    assertThat(decisions("redis") + decisions("over_limit_cache")).isEqualTo(2);
    assertThat(breaker("closed")).isEqualTo(1);

    REDIS.server().kill();
    for (int i = 0; i < 5; i++) {
      store.decideWithOrigin(key + "-" + i, ONE_PER_HOUR, 1, 0);
    }
    assertThat(decisions("fail_open")).isEqualTo(5);
    assertThat(count("sluice.redis.failures")).isEqualTo(5);
    assertThat(breaker("open")).isEqualTo(1);
    assertThat(breaker("closed")).isZero();
    assertThat(registry.find("sluice.redis.decisions").functionCounters()).hasSize(5);
  }

  @Test
  void commandDurationErrorsByKindReloadsAndBreakerTransitionsFollowTheStore() {
    RedisStoreMetrics metrics = new RedisStoreMetrics("shared");
    store = RedisStore.create(config().listener(metrics).build());
    metrics.track(store).bindTo(registry);
    assertThat(registry.find("sluice.redis.errors").functionCounters())
        .hasSize(RedisErrorKind.values().length);
    assertThat(registry.find("sluice.redis.breaker.transitions").functionCounters())
        .hasSize(CircuitState.values().length);
    assertThat(registry.find("sluice.redis.command.duration").timers()).hasSize(2);

    String key = "observed-" + System.identityHashCode(this);
    assertThat(store.decideWithOrigin(key, ONE_PER_HOUR, 1, 0).decision().allowed()).isTrue();
    assertThat(store.decideWithOrigin(key, ONE_PER_HOUR, 1, 0).decision().allowed()).isFalse();
    assertThat(commands("success")).isEqualTo(2);
    assertThat(count("sluice.redis.script.reloads")).isZero();

    RedisClient admin = RedisClient.create(REDIS.server().uri());
    try (StatefulRedisConnection<String, String> connection = admin.connect()) {
      connection.sync().scriptFlush();
      assertThat(store.decideWithOrigin(key, ONE_PER_HOUR, 1, 0).decision().allowed()).isFalse();
      assertThat(count("sluice.redis.script.reloads")).isEqualTo(1);
      assertThat(commands("success")).isEqualTo(3);

      connection.sync().hset("sluice:rl:{" + key + "-wrong}:per-hour", "field", "value");
      assertThat(store.decideWithOrigin(key + "-wrong", ONE_PER_HOUR, 1, 0).verified()).isFalse();
      assertThat(errors("script")).isEqualTo(1);
      assertThat(commands("failure")).isEqualTo(1);
    } finally {
      admin.shutdown();
    }

    REDIS.server().kill();
    for (int i = 0; i < 3; i++) {
      store.decideWithOrigin(key + "-" + i, ONE_PER_HOUR, 1, 0);
    }
    assertThat(breaker("open")).isEqualTo(1);
    assertThat(transitions("open")).isEqualTo(1);
    assertThat(transitions("closed")).isZero();
    assertThat(errors("connection")).isPositive();
    assertThat(errors("unavailable")).isZero();
    assertThat(errors("other")).isZero();
    double allErrors =
        registry.find("sluice.redis.errors").functionCounters().stream()
            .mapToDouble(FunctionCounter::count)
            .sum();
    assertThat(allErrors).isEqualTo(commands("failure"));
    assertThat(count("sluice.redis.failures")).isEqualTo(4);

    Timer success = timer("success");
    assertThat(success.totalTime(TimeUnit.NANOSECONDS)).isNotNegative();
    CountAtBucket[] buckets = success.takeSnapshot().histogramCounts();
    assertThat(buckets).hasSize(13);
    assertThat(buckets[0].bucket(TimeUnit.MICROSECONDS)).isEqualTo(100);
    assertThat(buckets[buckets.length - 1].bucket(TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(buckets[buckets.length - 1].count()).isEqualTo(3);
  }

  @Test
  void theRedisTableOfTheDocsListsExactlyTheMetersBound() throws IOException {
    // a Prometheus registry, as the docs' table: the simple one adds gauges of histogram buckets
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RedisStoreMetrics metrics = new RedisStoreMetrics("shared");
    store = RedisStore.create(config().listener(metrics).build());
    metrics.track(store).bindTo(prometheus);
    Set<String> bound = new TreeSet<>();
    for (Meter meter : prometheus.getMeters()) {
      bound.add(meter.getId().getName());
    }
    Set<String> documented = MetricsDocsExampleTest.documented();
    documented.removeIf(name -> !name.startsWith("sluice.redis."));
    assertThat(bound).isEqualTo(documented);
  }

  private Timer timer(String outcome) {
    return registry
        .get("sluice.redis.command.duration")
        .tags("store", "shared", "outcome", outcome)
        .timer();
  }

  private long commands(String outcome) {
    return timer(outcome).count();
  }

  private double errors(String kind) {
    return registry
        .get("sluice.redis.errors")
        .tags("store", "shared", "kind", kind)
        .functionCounter()
        .count();
  }

  private double transitions(String to) {
    return registry
        .get("sluice.redis.breaker.transitions")
        .tags("store", "shared", "to", to)
        .functionCounter()
        .count();
  }

  private double decisions(String origin) {
    return registry
        .get("sluice.redis.decisions")
        .tags("store", "shared", "origin", origin)
        .functionCounter()
        .count();
  }

  private double count(String name) {
    return registry.get(name).tag("store", "shared").functionCounter().count();
  }

  private double breaker(String state) {
    return registry
        .get("sluice.redis.breaker.state")
        .tags("store", "shared", "state", state)
        .gauge()
        .value();
  }
}
