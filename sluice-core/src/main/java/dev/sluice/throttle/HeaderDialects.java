package dev.sluice.throttle;

import dev.sluice.retry.RateLimitHeaders;
import dev.sluice.retry.RateLimitPolicy;
import dev.sluice.retry.RateLimitStatus;
import dev.sluice.retry.RetryAfter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads {@code Retry-After} and the IETF fields through the shared parsers of {@code
 * dev.sluice.retry} ({@link RetryAfter}, {@link RateLimitHeaders}); the provider dialects are read
 * by {@link dev.sluice.retry.ProviderQuotaHeaders}.
 */
final class HeaderDialects {
  private static final String REQUESTS = "requests";

  private HeaderDialects() {}

  /** {@code Retry-After} as delta-seconds or HTTP-date; empty if absent or malformed. */
  static Optional<Duration> retryAfter(Map<String, List<String>> headers, Instant now) {
    String field = ServerSignals.field(headers, "Retry-After");
    return field == null ? Optional.empty() : RetryAfter.parse(field, now);
  }

  /**
   * One signal per request-counting quota named in the {@code RateLimit} field, joined with its
   * {@code RateLimit-Policy} member of the same name when there is one.
   */
  static List<QuotaSignal> ietf(Map<String, List<String>> headers) {
    String rateLimit = ServerSignals.field(headers, "RateLimit");
    if (rateLimit == null) {
      return List.of();
    }
    List<RateLimitStatus> statuses = RateLimitHeaders.parseRateLimit(rateLimit);
    if (statuses.isEmpty()) {
      return List.of();
    }
    String policyField = ServerSignals.field(headers, "RateLimit-Policy");
    List<RateLimitPolicy> policies =
        policyField == null ? List.of() : RateLimitHeaders.parsePolicies(policyField);
    List<QuotaSignal> signals = new ArrayList<>();
    for (RateLimitStatus status : statuses) {
      Optional<RateLimitPolicy> policy =
          policies.stream().filter(p -> p.name().equals(status.name())).findFirst();
      if (policy.isPresent() && !REQUESTS.equals(policy.get().quotaUnit())) {
        continue; // a byte or concurrency quota says nothing about the request rate
      }
      signals.add(
          new QuotaSignal(
              status.remaining(),
              status.reset(),
              policy.map(p -> OptionalLong.of(p.quota())).orElse(OptionalLong.empty()),
              policy.flatMap(RateLimitPolicy::window)));
    }
    return signals;
  }
}
