package dev.sluice.redis;

import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.retry.Backoff;
import dev.sluice.retry.Jitter;
import dev.sluice.retry.RetrySchedule;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link RedisStore} does when Redis cannot answer: which retries a decision gets, when the
 * breaker around Redis opens, and what is decided meanwhile. Immutable; every rule is checked once,
 * in the constructor, and an error names the setting, the rule and the value ({@code
 * redis.max-attempts must be 1-10, was 0}).
 *
 * <pre>{@code
 * RedisFailurePolicy policy = RedisFailurePolicy.builder()
 *     .onFailure(FailureMode.FALLBACK)
 *     .fallbackNodes(3)          // three gateways: each enforces a third of every quota alone
 *     .maxAttempts(2)
 *     .build();
 * }</pre>
 *
 * @param onFailure what to decide when Redis cannot answer
 * @param fallbackNodes how many nodes share the limits under {@link FailureMode#FALLBACK}
 * @param fallbackMaxKeys the bound of the local fallback store
 * @param failClosedRetryAfter the retry-after of a fail-closed denial when the breaker gives none
 * @param retry how a decision is retried when an error is transient (the script surely did not run:
 *     not connected, loading, read-only replica, re-sharding): the core's schedule, 1 to 10
 *     attempts; by default 3, backing off from 5 ms doubling to 50 ms with full jitter
 * @param breaker the circuit breaker around Redis
 */
public record RedisFailurePolicy(
    FailureMode onFailure,
    int fallbackNodes,
    long fallbackMaxKeys,
    Duration failClosedRetryAfter,
    RetrySchedule retry,
    CircuitBreakerConfig breaker) {

  /** The breaker used unless one is set: open after 5 failures in a row, probe after 1 s. */
  public static final CircuitBreakerConfig DEFAULT_BREAKER =
      CircuitBreakerConfig.builder()
          .consecutiveFailures(5)
          .openDelay(Duration.ofSeconds(1))
          .maxOpenDelay(Duration.ofSeconds(5))
          .build();

  /**
   * Checks every rule.
   *
   * @throws RedisConfigException if a value breaks a rule
   */
  public RedisFailurePolicy {
    Objects.requireNonNull(onFailure, "redis.on-failure");
    Objects.requireNonNull(breaker, "redis.breaker");
    Objects.requireNonNull(retry, "redis.retry");
    if (fallbackNodes < 1) {
      throw new RedisConfigException("redis.fallback-nodes must be >= 1, was " + fallbackNodes);
    }
    if (fallbackMaxKeys < 1) {
      throw new RedisConfigException(
          "redis.fallback-max-keys must be >= 1, was " + fallbackMaxKeys);
    }
    RedisConfigException.requirePositive("fail-closed-retry-after", failClosedRetryAfter);
    requireAttempts(retry.maxAttempts());
  }

  /**
   * Starts a policy with the defaults: fall back to local limits, 3 attempts, {@link
   * #DEFAULT_BREAKER}.
   *
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this policy, to change some of it; its retry schedule is kept whole until
   * {@link Builder#maxAttempts} or {@link Builder#retryBackoff} replaces it.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.onFailure = onFailure;
    builder.fallbackNodes = fallbackNodes;
    builder.fallbackMaxKeys = fallbackMaxKeys;
    builder.failClosedRetryAfter = failClosedRetryAfter;
    builder.retry = retry;
    builder.maxAttempts = retry.maxAttempts();
    builder.breaker = breaker;
    return builder;
  }

  /** The one rule on attempts, for a schedule given whole or built from the builder's parts. */
  private static void requireAttempts(int attempts) {
    if (attempts < 1 || attempts > 10) {
      throw new RedisConfigException("redis.max-attempts must be 1-10, was " + attempts);
    }
  }

  /** The schedule of {@link Builder#maxAttempts} and {@link Builder#retryBackoff}. */
  private static RetrySchedule schedule(int attempts, Duration initial, Duration max) {
    requireAttempts(attempts);
    RedisConfigException.requirePositive("retry-backoff", initial);
    RedisConfigException.requirePositive("retry-backoff-max", max);
    if (max.compareTo(initial) < 0) {
      throw new RedisConfigException(
          "redis.retry-backoff-max must be >= redis.retry-backoff (" + initial + "), was " + max);
    }
    return new RetrySchedule(
        attempts,
        null,
        Backoff.exponential(initial, 2, max).withJitter(Jitter.FULL),
        max,
        RetrySchedule.OverMaxDelay.CAP);
  }

  /** Collects the settings of a {@link RedisFailurePolicy}; {@link #build()} validates them. */
  public static final class Builder {
    private FailureMode onFailure = FailureMode.FALLBACK;
    private int fallbackNodes = 1;
    private long fallbackMaxKeys = 100_000;
    private Duration failClosedRetryAfter = Duration.ofSeconds(1);
    private int maxAttempts = 3;
    private Duration retryBackoff = Duration.ofMillis(5);
    private Duration retryBackoffMax = Duration.ofMillis(50);
    private @Nullable RetrySchedule retry;
    private CircuitBreakerConfig breaker = DEFAULT_BREAKER;

    private Builder() {}

    /**
     * Sets what to decide when Redis cannot answer; {@link FailureMode#FALLBACK} by default.
     *
     * @param mode the failure mode
     * @return this builder
     */
    public Builder onFailure(FailureMode mode) {
      this.onFailure = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Sets how many nodes share the limits while falling back; 1 by default. Each node then
     * enforces {@code quota / nodes} (at least 1) on its own.
     *
     * @param nodes at least 1
     * @return this builder
     */
    public Builder fallbackNodes(int nodes) {
      this.fallbackNodes = nodes;
      return this;
    }

    /**
     * Bounds the keys of the local fallback store; 100,000 by default.
     *
     * @param maxKeys at least 1
     * @return this builder
     */
    public Builder fallbackMaxKeys(long maxKeys) {
      this.fallbackMaxKeys = maxKeys;
      return this;
    }

    /**
     * Sets the retry-after of a fail-closed denial when the breaker gives none; 1 s by default.
     *
     * @param retryAfter more than zero
     * @return this builder
     */
    public Builder failClosedRetryAfter(Duration retryAfter) {
      this.failClosedRetryAfter = retryAfter;
      return this;
    }

    /**
     * Sets the attempts per decision for transient errors (not connected, loading, read-only
     * replica, cluster re-sharding); 3 by default. Timeouts are never retried.
     *
     * @param attempts 1 to 10
     * @return this builder
     */
    public Builder maxAttempts(int attempts) {
      this.maxAttempts = attempts;
      this.retry = null;
      return this;
    }

    /**
     * Sets the pause between attempts: starts at {@code initial}, doubles, at most {@code max},
     * with full jitter; 5 ms to 50 ms by default.
     *
     * @param initial the first pause
     * @param max the longest pause, at least {@code initial}
     * @return this builder
     */
    public Builder retryBackoff(Duration initial, Duration max) {
      this.retryBackoff = initial;
      this.retryBackoffMax = max;
      this.retry = null;
      return this;
    }

    /**
     * Sets the whole retry schedule of a decision instead of {@link #maxAttempts} and {@link
     * #retryBackoff}: any backoff and jitter of the core's {@link RetrySchedule}.
     *
     * @param schedule 1 to 10 attempts
     * @return this builder
     */
    public Builder retry(RetrySchedule schedule) {
      this.retry = Objects.requireNonNull(schedule, "redis.retry");
      return this;
    }

    /**
     * Sets the circuit breaker around Redis; {@link #DEFAULT_BREAKER} by default.
     *
     * @param breaker its configuration
     * @return this builder
     */
    public Builder breaker(CircuitBreakerConfig breaker) {
      this.breaker = Objects.requireNonNull(breaker, "breaker");
      return this;
    }

    /**
     * Validates and builds the policy.
     *
     * @return the policy
     * @throws RedisConfigException if a value breaks a rule
     */
    public RedisFailurePolicy build() {
      return new RedisFailurePolicy(
          onFailure,
          fallbackNodes,
          fallbackMaxKeys,
          failClosedRetryAfter,
          retry != null ? retry : schedule(maxAttempts, retryBackoff, retryBackoffMax),
          breaker);
    }
  }
}
