package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.breaker.CircuitBreakerConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisFailurePolicyTest {
  @Test
  void defaultsFallBackToLocalLimitsAfterThreeAttemptsBehindTheDefaultBreaker() {
    RedisFailurePolicy policy = RedisFailurePolicy.builder().build();
    assertThat(policy.onFailure()).isEqualTo(FailureMode.FALLBACK);
    assertThat(policy.fallbackNodes()).isEqualTo(1);
    assertThat(policy.fallbackMaxKeys()).isEqualTo(100_000);
    assertThat(policy.failClosedRetryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.retry().maxAttempts()).isEqualTo(3);
    assertThat(policy.breaker()).isSameAs(RedisFailurePolicy.DEFAULT_BREAKER);
  }

  @Test
  void brokenRulesNameTheSettingTheRuleAndTheValue() {
    assertThatThrownBy(() -> RedisFailurePolicy.builder().fallbackMaxKeys(0).build())
        .isInstanceOf(RedisConfigException.class)
        .hasMessage("redis.fallback-max-keys must be >= 1, was 0");
    assertThatThrownBy(
            () -> RedisFailurePolicy.builder().failClosedRetryAfter(Duration.ZERO).build())
        .hasMessage("redis.fail-closed-retry-after must be > 0, was PT0S");
    assertThatThrownBy(() -> RedisFailurePolicy.builder().maxAttempts(11).build())
        .hasMessage("redis.max-attempts must be 1-10, was 11");
    assertThatThrownBy(
            () ->
                RedisFailurePolicy.builder()
                    .retryBackoff(Duration.ZERO, Duration.ofMillis(1))
                    .build())
        .hasMessage("redis.retry-backoff must be > 0, was PT0S");
  }

  @Test
  void toBuilderKeepsAScheduleGivenWholeUntilAttemptsAreSetAgain() {
    RedisFailurePolicy original =
        RedisFailurePolicy.builder()
            .onFailure(FailureMode.FAIL_CLOSED)
            .fallbackNodes(4)
            .maxAttempts(5)
            .breaker(CircuitBreakerConfig.builder().consecutiveFailures(2).build())
            .build();
    assertThat(original.toBuilder().build()).isEqualTo(original);
    RedisFailurePolicy fewer = original.toBuilder().maxAttempts(2).build();
    assertThat(fewer.retry().maxAttempts()).isEqualTo(2);
    assertThat(fewer.onFailure()).isEqualTo(FailureMode.FAIL_CLOSED);
    assertThat(fewer.fallbackNodes()).isEqualTo(4);
    assertThat(fewer.breaker()).isEqualTo(original.breaker());
  }

  @Test
  void aStoreConfigTakesAPolicyOrAConnectionWholeAndThenChangesPartsOfIt() {
    RedisFailurePolicy shared =
        RedisFailurePolicy.builder().onFailure(FailureMode.FAIL_OPEN).build();
    RedisConnection primary = RedisConnection.builder().standalone("primary:6379").build();
    RedisStoreConfig config =
        RedisStoreConfig.builder()
            .connection(primary)
            .failurePolicy(shared)
            .commandTimeout(Duration.ofMillis(90))
            .fallbackNodes(2)
            .build();
    assertThat(config.connection().endpoints()).containsExactly("primary:6379");
    assertThat(config.connection().commandTimeout()).isEqualTo(Duration.ofMillis(90));
    assertThat(config.failurePolicy().onFailure()).isEqualTo(FailureMode.FAIL_OPEN);
    assertThat(config.failurePolicy().fallbackNodes()).isEqualTo(2);
    assertThat(primary.commandTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(shared.fallbackNodes()).isEqualTo(1);
  }
}
