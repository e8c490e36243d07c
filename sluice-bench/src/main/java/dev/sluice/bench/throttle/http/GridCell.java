package dev.sluice.bench.throttle.http;

import dev.sluice.testkit.RateLimitDialect;
import java.time.Duration;
import java.util.Locale;

/**
 * One cell of the grid: a token bucket of {@code limit} per second and {@code burst}, a round trip
 * uniform in [0.4, 1.6] x {@code rttMillis}, the header dialect, and optionally a change of the
 * limit by {@code factor} at {@code changeAt}.
 */
record GridCell(
    double limit,
    int burst,
    int rttMillis,
    RateLimitDialect dialect,
    boolean retryAfter,
    Duration changeAt,
    double factor,
    Duration length) {

  String headers() {
    return switch (dialect) {
      case NONE -> retryAfter ? "Retry-After" : "none";
      case RETRY_AFTER -> "Retry-After";
      default -> dialect.name().toLowerCase(Locale.ROOT);
    };
  }

  String change() {
    return changeAt == null
        ? "-"
        : String.format(Locale.ROOT, "x%s at %d s", factor, changeAt.toSeconds());
  }

  /** Requests the limit admits over the run, its initial burst included. */
  double capacity() {
    double seconds = length.toNanos() / 1e9;
    if (changeAt == null) {
      return limit * seconds + burst;
    }
    double before = changeAt.toNanos() / 1e9;
    return limit * before + limit * factor * (seconds - before) + burst;
  }
}
