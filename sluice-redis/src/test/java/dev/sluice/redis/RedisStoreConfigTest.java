package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.breaker.CircuitState;
import dev.sluice.retry.Backoff;
import dev.sluice.retry.RetrySchedule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisStoreConfigTest {
  @Test
  void defaultsAreAStandaloneServerOnLocalhostFallingBackToLocalLimits() {
    RedisStoreConfig config = RedisStoreConfig.builder().build();
    assertThat(config.connection().topology()).isEqualTo(Topology.STANDALONE);
    assertThat(config.connection().endpoints()).containsExactly("localhost:6379");
    assertThat(config.failurePolicy().onFailure()).isEqualTo(FailureMode.FALLBACK);
    assertThat(config.connection().commandTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.overLimitCacheSize()).isZero();
  }

  @Test
  void everyBrokenRuleNamesTheSettingTheRuleAndTheValue() {
    assertThatThrownBy(() -> RedisStoreConfig.builder().commandTimeout(Duration.ZERO).build())
        .isInstanceOf(RedisConfigException.class)
        .hasMessage("redis.command-timeout must be > 0, was PT0S");
    assertThatThrownBy(() -> RedisStoreConfig.builder().standalone("redis").build())
        .hasMessage("redis.endpoints must be host:port with a port of 1-65535, was \"redis\"");
    assertThatThrownBy(() -> RedisStoreConfig.builder().standalone("redis:70000").build())
        .hasMessageContaining("was \"redis:70000\"");
    assertThatThrownBy(() -> RedisStoreConfig.builder().sentinel(" ", List.of("s:26379")).build())
        .hasMessage("redis.sentinel-master must be set for a sentinel topology, was  ");
    assertThatThrownBy(
            () -> RedisStoreConfig.builder().cluster(List.of("n:6379")).database(2).build())
        .hasMessage("redis.database must be 0 on a cluster topology, was 2");
    assertThatThrownBy(() -> RedisStoreConfig.builder().maxAttempts(0).build())
        .hasMessage("redis.max-attempts must be 1-10, was 0");
    assertThatThrownBy(() -> RedisStoreConfig.builder().fallbackNodes(0).build())
        .hasMessage("redis.fallback-nodes must be >= 1, was 0");
    assertThatThrownBy(() -> RedisStoreConfig.builder().keyPrefix("a{b}").build())
        .hasMessage("redis.key-prefix must be set and hold no '{' or '}', was a{b}");
    assertThatThrownBy(
            () ->
                RedisStoreConfig.builder()
                    .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(5))
                    .build())
        .hasMessage(
            "redis.retry-backoff-max must be >= redis.retry-backoff (PT0.05S), was PT0.005S");
    assertThatThrownBy(() -> RedisStoreConfig.builder().overLimitCache(-1).build())
        .hasMessage("redis.over-limit-cache-size must be >= 0, was -1");
    assertThatThrownBy(() -> RedisStoreConfig.builder().cluster(List.of()).build())
        .hasMessage("redis.endpoints must name at least one host:port, was []");
  }

  @Test
  void thePasswordNeverShowsInTheDescription() {
    RedisStoreConfig config = RedisStoreConfig.builder().password("s3cret").build();
    assertThat(config.toString()).doesNotContain("s3cret").contains("password=***");
  }

  @Test
  void listenersAreKeptInTheOrderAdded() {
    RedisStoreListener first = new RedisStoreListener() {};
    RedisStoreListener second = new RedisStoreListener() {};
    assertThat(RedisStoreConfig.builder().build().listeners()).isEmpty();
    assertThat(RedisStoreConfig.builder().listener(first).listener(second).build().listeners())
        .containsExactly(first, second);
    assertThatThrownBy(() -> RedisStoreConfig.builder().listener(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("redis.listener");
  }

  @Test
  void statsCountEveryErrorKindAndEveryBreakerState() {
    RedisStoreStats stats =
        new RedisStoreStats(
            1,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            Map.of(RedisErrorKind.TIMEOUT, 2L),
            Map.of(CircuitState.OPEN, 1L));
    assertThat(stats.errors()).hasSize(RedisErrorKind.values().length);
    assertThat(stats.errors(RedisErrorKind.TIMEOUT)).isEqualTo(2);
    assertThat(stats.errors(RedisErrorKind.CONNECTION)).isZero();
    assertThat(stats.breakerTransitions()).hasSize(CircuitState.values().length);
    assertThat(stats.breakerTransitions(CircuitState.OPEN)).isEqualTo(1);
    assertThatThrownBy(() -> stats.errors().put(RedisErrorKind.OTHER, 1L))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theRetriesAreTheCoresScheduleGivenWholeOrBuiltFromAttemptsAndBackoff() {
    RedisStoreConfig built =
        RedisStoreConfig.builder()
            .standalone("redis:6379")
            .maxAttempts(4)
            .retryBackoff(Duration.ofMillis(2), Duration.ofMillis(20))
            .build();
    assertThat(built.failurePolicy().retry().maxAttempts()).isEqualTo(4);
    assertThat(
            built
                .failurePolicy()
                .retry()
                .backoff()
                .delayFor(10, null, new java.util.SplittableRandom(1)))
        .isLessThanOrEqualTo(Duration.ofMillis(20));

    RetrySchedule fixed =
        new RetrySchedule(
            2,
            null,
            Backoff.fixed(Duration.ofMillis(1)),
            Duration.ofMillis(1),
            RetrySchedule.OverMaxDelay.CAP);
    assertThat(
            RedisStoreConfig.builder()
                .standalone("redis:6379")
                .retry(fixed)
                .build()
                .failurePolicy()
                .retry())
        .isSameAs(fixed);
    RetrySchedule tooMany =
        new RetrySchedule(
            11,
            null,
            Backoff.fixed(Duration.ofMillis(1)),
            Duration.ofMillis(1),
            RetrySchedule.OverMaxDelay.CAP);
    assertThatThrownBy(
            () -> RedisStoreConfig.builder().standalone("redis:6379").retry(tooMany).build())
        .isInstanceOf(dev.sluice.ConfigException.class)
        .hasMessage("redis.max-attempts must be 1-10, was 11");
  }
}
