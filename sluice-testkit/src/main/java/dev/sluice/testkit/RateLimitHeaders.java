package dev.sluice.testkit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.BiConsumer;

/** Writes a {@link RateDecision} as the headers of one {@link RateLimitDialect}. */
final class RateLimitHeaders {
  private static final long MILLI = 1_000_000L;
  private static final long SECOND = 1_000_000_000L;

  private RateLimitHeaders() {}

  static void write(
      RateLimitDialect dialect,
      boolean retryAfterOn429,
      RateDecision d,
      BiConsumer<String, String> out) {
    boolean retryAfter =
        !d.admitted() && (retryAfterOn429 || dialect == RateLimitDialect.RETRY_AFTER);
    if (retryAfter) {
      out.accept("Retry-After", Long.toString(retryAfterSeconds(d.retryAfterNanos())));
    }
    switch (dialect) {
      case NONE, RETRY_AFTER -> {}
      case IETF -> ietf(d, out);
      case OPENAI -> openai(d, out);
      case ANTHROPIC -> anthropic(d, out);
      case GITHUB -> github(d, out);
    }
  }

  static long retryAfterSeconds(long nanos) {
    return Math.max(1, ceilDiv(nanos, SECOND));
  }

  private static void ietf(RateDecision d, BiConsumer<String, String> out) {
    long q;
    long w;
    if (d.algorithm() == RateLimitAlgorithm.FIXED_WINDOW) {
      q = d.windowQuota();
      w = d.windowSeconds();
    } else {
      w = 60;
      q = (long) Math.floor(d.rate() * 60);
      for (long s = 1; s <= 60; s++) {
        double exact = d.rate() * s;
        if (Math.abs(exact - Math.rint(exact)) < 1e-9) {
          w = s;
          q = Math.round(exact);
          break;
        }
      }
    }
    out.accept("RateLimit-Policy", "\"default\";q=" + q + ";w=" + w);
    out.accept(
        "RateLimit", "\"default\";r=" + d.remaining() + ";t=" + ceilDiv(d.nanosToReset(), SECOND));
  }

  private static void openai(RateDecision d, BiConsumer<String, String> out) {
    out.accept("x-ratelimit-limit-requests", Long.toString(perMinute(d)));
    out.accept("x-ratelimit-remaining-requests", Long.toString(d.remaining()));
    out.accept("x-ratelimit-reset-requests", GoDuration.format(ceilMillis(d.nanosToReset())));
    if (d.tokensPerMinute() > 0) {
      out.accept("x-ratelimit-limit-tokens", Long.toString(d.tokensPerMinute()));
      out.accept("x-ratelimit-remaining-tokens", Long.toString(d.tokensRemaining()));
      out.accept("x-ratelimit-reset-tokens", GoDuration.format(ceilMillis(d.tokenNanosToFull())));
    }
  }

  private static void anthropic(RateDecision d, BiConsumer<String, String> out) {
    out.accept("anthropic-ratelimit-requests-limit", Long.toString(perMinute(d)));
    out.accept("anthropic-ratelimit-requests-remaining", Long.toString(d.remaining()));
    out.accept("anthropic-ratelimit-requests-reset", instant(d.now(), d.nanosToReset()).toString());
    if (d.tokensPerMinute() > 0) {
      String limit = Long.toString(d.tokensPerMinute());
      String remaining = Long.toString(d.tokensRemaining());
      String reset = instant(d.now(), d.tokenNanosToFull()).toString();
      for (String prefix :
          new String[] {"anthropic-ratelimit-tokens-", "anthropic-ratelimit-input-tokens-"}) {
        out.accept(prefix + "limit", limit);
        out.accept(prefix + "remaining", remaining);
        out.accept(prefix + "reset", reset);
      }
    }
  }

  private static void github(RateDecision d, BiConsumer<String, String> out) {
    long limit;
    long used;
    if (d.algorithm() == RateLimitAlgorithm.FIXED_WINDOW) {
      limit = d.windowQuota();
      used = d.windowUsed();
    } else {
      limit = perMinute(d);
      used = Math.max(0, limit - d.remaining());
    }
    out.accept("x-ratelimit-limit", Long.toString(limit));
    out.accept("x-ratelimit-remaining", Long.toString(d.remaining()));
    out.accept(
        "x-ratelimit-reset", Long.toString(instant(d.now(), d.nanosToReset()).getEpochSecond()));
    out.accept("x-ratelimit-used", Long.toString(used));
    out.accept("x-ratelimit-resource", "core");
  }

  private static long perMinute(RateDecision d) {
    return Math.round(d.rate() * 60);
  }

  /** The wall-clock instant {@code nanos} after {@code now}, rounded up to a whole second. */
  private static Instant instant(Instant now, long nanos) {
    Instant at = now.plusNanos(nanos);
    Instant whole = at.truncatedTo(ChronoUnit.SECONDS);
    return whole.equals(at) ? whole : whole.plusSeconds(1);
  }

  private static long ceilMillis(long nanos) {
    return ceilDiv(nanos, MILLI) * MILLI;
  }

  private static long ceilDiv(long a, long b) {
    return Math.max(0, Math.ceilDiv(a, b));
  }
}
