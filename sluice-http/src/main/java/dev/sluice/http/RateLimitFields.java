package dev.sluice.http;

import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import java.util.List;

/** Formats the rate-limit header fields of a decision. Seconds are always rounded up. */
final class RateLimitFields {
  /** The longest Retry-After sent: a year; a request that can never pass reads this. */
  static final long MAX_RETRY_AFTER_SECONDS = 365L * 24 * 3600;

  private RateLimitFields() {}

  static long ceilSeconds(long nanos) {
    if (nanos <= 0) {
      return 0;
    }
    return nanos / 1_000_000_000L + (nanos % 1_000_000_000L == 0 ? 0 : 1);
  }

  /** Retry-After in whole seconds, rounded up, at least 1. */
  static long retryAfterSeconds(long nanos) {
    return Math.max(1, Math.min(MAX_RETRY_AFTER_SECONDS, ceilSeconds(nanos)));
  }

  /** Appends name/value pairs for the decision in the dialect. */
  static void append(Decision decision, HeaderDialect dialect, List<String> out) {
    List<Limit> limits = decision.limits();
    if (limits.isEmpty()) {
      return;
    }
    if (dialect.ietf()) {
      StringBuilder policy = new StringBuilder(32 * limits.size());
      StringBuilder status = new StringBuilder(24 * limits.size());
      for (int i = 0; i < limits.size(); i++) {
        Limit limit = limits.get(i);
        if (i > 0) {
          policy.append(", ");
          status.append(", ");
        }
        policy.append('"').append(limit.id()).append("\";q=").append(limit.quota());
        policy.append(";w=").append(Math.max(1, ceilSeconds(limit.windowNanos())));
        status.append('"').append(limit.id()).append("\";r=").append(decision.remaining(i));
        status.append(";t=").append(ceilSeconds(decision.resetAfterNanos(i)));
      }
      out.add("RateLimit-Policy");
      out.add(policy.toString());
      out.add("RateLimit");
      out.add(status.toString());
    }
    if (dialect.legacy()) {
      int tightest = decision.tightest();
      out.add("X-RateLimit-Limit");
      out.add(Long.toString(limits.get(tightest).quota()));
      out.add("X-RateLimit-Remaining");
      out.add(Long.toString(decision.remaining(tightest)));
      out.add("X-RateLimit-Reset");
      out.add(Long.toString(ceilSeconds(decision.resetAfterNanos(tightest))));
    }
  }
}
