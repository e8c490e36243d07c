package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.ratelimit.Limit;
import dev.sluice.testkit.RedisNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Password, database and key prefix reach Redis; a store that cannot connect says where. */
class ConnectionSettingsIT {
  private static RedisNode node;

  @BeforeAll
  static void start() {
    node = RedisNode.start("--requirepass", "s3cret");
  }

  @AfterAll
  static void stop() {
    node.stop();
  }

  @Test
  void thePasswordTheDatabaseAndTheKeyPrefixAreUsed() {
    List<Limit> limits = List.of(Limit.of("per-minute", 10, Duration.ofMinutes(1)));
    try (RedisStore store =
        RedisStore.create(
            RedisStoreConfig.builder()
                .standalone(node.endpoint())
                .password("s3cret")
                .database(3)
                .keyPrefix("app:")
                .build())) {
      RedisDecision decision = store.decideWithOrigin("user:1", limits, 1, 0);
      assertThat(decision.origin()).isEqualTo(RedisDecision.Origin.REDIS);
    }
    RedisClient client =
        RedisClient.create(
            RedisURI.Builder.redis(node.host(), node.port())
                .withPassword("s3cret".toCharArray())
                .withDatabase(3)
                .build());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      assertThat(connection.sync().exists("app:{user:1}:per-minute")).isEqualTo(1);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aWrongPasswordFailsAtCreationNamingTheEndpoint() {
    assertThatThrownBy(
            () ->
                RedisStore.create(
                    RedisStoreConfig.builder()
                        .standalone(node.endpoint())
                        .password("wrong")
                        .build()))
        .isInstanceOf(RedisStoreException.class)
        .hasMessageContaining(node.endpoint());
  }

  @Test
  void anUnreachableServerFailsAtCreationWithinTheConnectTimeout() {
    long t0 = System.nanoTime();
    assertThatThrownBy(
            () ->
                RedisStore.create(
                    RedisStoreConfig.builder()
                        .standalone("127.0.0.1:1")
                        .connectTimeout(Duration.ofMillis(500))
                        .build()))
        .isInstanceOf(RedisStoreException.class)
        .hasMessageContaining("127.0.0.1:1");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aStoreStartedWhileRedisIsDownLimitsLocallyThenUsesRedisOnceItIsUp() {
    RedisNode late = RedisNode.start();
    late.kill();
    List<Limit> limits = List.of(Limit.of("per-minute", 10, Duration.ofMinutes(1)));
    try (RedisStore store =
        RedisStore.create(
            RedisStoreConfig.builder()
                .standalone(late.endpoint())
                .connectTimeout(Duration.ofMillis(300))
                .reconnectDelayMax(Duration.ofMillis(100))
                .breaker(
                    dev.sluice.breaker.CircuitBreakerConfig.builder()
                        .consecutiveFailures(3)
                        .openDelay(Duration.ofMillis(100))
                        .maxOpenDelay(Duration.ofMillis(200))
                        .build())
                .connectInBackground()
                .build())) {
      RedisDecision early = store.decideWithOrigin("late", limits, 1, System.nanoTime());
      assertThat(early.origin()).isEqualTo(RedisDecision.Origin.FALLBACK);
      assertThat(early.decision().allowed()).isTrue();

      late.restart();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  store.decideWithOrigin("late", limits, 1, System.nanoTime()).origin()
                      == RedisDecision.Origin.REDIS);
    } finally {
      late.stop();
    }
  }
}
