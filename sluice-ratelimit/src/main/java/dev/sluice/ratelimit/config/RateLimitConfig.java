package dev.sluice.ratelimit.config;

import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.policy.Policy;
import java.util.Objects;

/**
 * Everything a rate-limit configuration file sets: the policy, and the bounds of the in-memory
 * state. Read one with {@link TomlConfigLoader}.
 *
 * @param policy the policy
 * @param maxKeys the most keys the in-memory store keeps state for
 * @param maxPenalizedClients the most clients whose violations and penalties are remembered
 */
public record RateLimitConfig(Policy policy, long maxKeys, long maxPenalizedClients) {
  /**
   * Validates the bounds.
   *
   * @throws RateLimitConfigException if a bound is below 1
   */
  public RateLimitConfig {
    Objects.requireNonNull(policy, "policy");
    if (maxKeys < 1) {
      throw new RateLimitConfigException("limiter.max-keys must be >= 1, was " + maxKeys);
    }
    if (maxPenalizedClients < 1) {
      throw new RateLimitConfigException(
          "limiter.max-penalized-clients must be >= 1, was " + maxPenalizedClients);
    }
  }
}
