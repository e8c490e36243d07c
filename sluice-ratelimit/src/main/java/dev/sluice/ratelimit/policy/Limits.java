package dev.sluice.ratelimit.policy;

import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.RateLimiter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks of a list of limits that will be decided on together. */
final class Limits {
  private Limits() {}

  static List<Limit> check(String key, List<Limit> limits) {
    if (limits == null) {
      return List.of();
    }
    if (limits.size() > RateLimiter.MAX_LIMITS_PER_KEY) {
      throw new RateLimitConfigException(
          key
              + " must hold at most "
              + RateLimiter.MAX_LIMITS_PER_KEY
              + " limits, was "
              + limits.size());
    }
    Set<String> ids = new HashSet<>();
    for (Limit limit : limits) {
      if (!ids.add(limit.id())) {
        throw new RateLimitConfigException(
            key + " must have distinct ids, was " + limit.id() + " twice");
      }
    }
    return List.copyOf(limits);
  }
}
