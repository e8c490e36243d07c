package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.ratelimit.Limit;
import dev.sluice.redis.FailureMode;
import dev.sluice.redis.RedisStore;
import dev.sluice.redis.RedisStoreConfig;
import dev.sluice.testkit.RedisExtension;
import dev.sluice.testkit.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Redis store's decisions by origin and its breaker, on a real Redis that is then killed. On
 * the system time: the store's retry pauses wait on its time source.
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

  @Test
  void decisionsByOriginAndTheBreakerStateFollowTheStore() {
    RedisServer server = REDIS.server();
    store =
        RedisStore.create(
            RedisStoreConfig.builder()
                .standalone(server.host() + ":" + server.port())
                .commandTimeout(Duration.ofMillis(100))
                .reconnectDelayMax(Duration.ofMillis(100))
                .onFailure(FailureMode.FAIL_OPEN)
                .breaker(
                    CircuitBreakerConfig.builder()
                        .consecutiveFailures(3)
                        .openDelay(Duration.ofMinutes(1))
                        .build())
                .build());
    new RedisStoreMetrics(store, "shared").bindTo(registry);

    String key = "metrics-" + System.identityHashCode(this);
    assertThat(store.decideWithOrigin(key, ONE_PER_HOUR, 1, 0).decision().allowed()).isTrue();
    assertThat(store.decideWithOrigin(key, ONE_PER_HOUR, 1, 0).decision().allowed()).isFalse();
    assertThat(decisions("redis") + decisions("over_limit_cache")).isEqualTo(2);
    assertThat(breaker("closed")).isEqualTo(1);

    server.kill();
    for (int i = 0; i < 5; i++) {
      store.decideWithOrigin(key + "-" + i, ONE_PER_HOUR, 1, 0);
    }
    assertThat(decisions("fail_open")).isEqualTo(5);
    assertThat(count("sluice.redis.failures")).isEqualTo(5);
    assertThat(breaker("open")).isEqualTo(1);
    assertThat(breaker("closed")).isZero();
    assertThat(registry.find("sluice.redis.decisions").functionCounters()).hasSize(5);
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
