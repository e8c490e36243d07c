package dev.sluice.ratelimit.config;

import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.policy.Policy;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a rate-limit configuration file sets: the policy, and the bounds of the in-memory
 * state. Read one with {@link TomlConfigLoader}.
 *
 * @param policy the policy
 * @param maxKeys the most keys the in-memory store keeps state for
 * @param maxPenalizedClients the most clients whose violations and penalties are remembered
 * @param http the {@code [http]} table as plain values (texts, numbers, booleans, lists, maps),
 *     read and validated by the HTTP layer ({@code sluice-http}); empty when absent
 */
public record RateLimitConfig(
    Policy policy, long maxKeys, long maxPenalizedClients, Map<String, Object> http) {
  /**
   * Validates the bounds.
   *
   * @throws RateLimitConfigException if a bound is below 1
   */
  public RateLimitConfig {
    Objects.requireNonNull(policy, "policy");
    http = http == null ? Map.of() : Collections.unmodifiableMap(http);
    if (maxKeys < 1) {
      throw new RateLimitConfigException("limiter.max-keys must be >= 1, was " + maxKeys);
    }
    if (maxPenalizedClients < 1) {
      throw new RateLimitConfigException(
          "limiter.max-penalized-clients must be >= 1, was " + maxPenalizedClients);
    }
  }

  /**
   * A configuration without an {@code [http]} table.
   *
   * @param policy the policy
   * @param maxKeys the most keys the in-memory store keeps state for
   * @param maxPenalizedClients the most clients whose violations and penalties are remembered
   */
  public RateLimitConfig(Policy policy, long maxKeys, long maxPenalizedClients) {
    this(policy, maxKeys, maxPenalizedClients, Map.of());
  }
}
