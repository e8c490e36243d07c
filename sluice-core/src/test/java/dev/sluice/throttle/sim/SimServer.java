package dev.sluice.throttle.sim;

import java.util.List;
import java.util.Map;

/**
 * A server with a token-bucket limit: {@code rate} tokens per second up to {@code burst}; each
 * request takes one token or is answered 429. With headers on it describes its bucket in IETF
 * fields: {@code RateLimit-Policy: "default";q=<burst>;w=<burst/rate>} (the sustained rate is q/w),
 * {@code RateLimit: "default";r=<tokens left>;t=<seconds until full>}, and on a 429 {@code
 * Retry-After} with the seconds until one token is back (rounded up, as the field is whole
 * seconds).
 */
final class SimServer {
  private final int burst;
  private final SimHeaders headers;
  private double rate;
  private double tokens;
  private long lastNanos;

  SimServer(double rate, int burst, SimHeaders headers, long startNanos) {
    this.rate = rate;
    this.burst = burst;
    this.headers = headers;
    this.tokens = burst;
    this.lastNanos = startNanos;
  }

  void setRate(double newRate, long now) {
    refill(now);
    rate = newRate;
  }

  SimResponse handle(long now) {
    refill(now);
    boolean admitted = tokens >= 1;
    if (admitted) {
      tokens -= 1;
    }
    if (headers == SimHeaders.NONE) {
      return new SimResponse(admitted ? 200 : 429, Map.of());
    }
    if (headers == SimHeaders.RETRY_AFTER) {
      long wait = Math.max(1, (long) Math.ceil((1 - tokens) / rate));
      return admitted
          ? new SimResponse(200, Map.of())
          : new SimResponse(429, Map.of("Retry-After", List.of(Long.toString(wait))));
    }
    long window = Math.max(1, Math.round(burst / rate));
    long untilFull = (long) Math.ceil((burst - tokens) / rate);
    String policy = "\"default\";q=" + Math.round(rate * window) + ";w=" + window;
    String limit = "\"default\";r=" + (long) Math.floor(tokens) + ";t=" + untilFull;
    if (admitted) {
      return new SimResponse(
          200, Map.of("RateLimit-Policy", List.of(policy), "RateLimit", List.of(limit)));
    }
    long retryAfter = Math.max(1, (long) Math.ceil((1 - tokens) / rate));
    return new SimResponse(
        429,
        Map.of(
            "RateLimit-Policy",
            List.of(policy),
            "RateLimit",
            List.of(limit),
            "Retry-After",
            List.of(Long.toString(retryAfter))));
  }

  private void refill(long now) {
    if (now > lastNanos) {
      tokens = Math.min(burst, tokens + rate * (now - lastNanos) / 1e9);
      lastNanos = now;
    }
  }
}
