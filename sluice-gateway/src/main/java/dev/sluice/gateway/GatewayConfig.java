package dev.sluice.gateway;

import dev.sluice.http.HeaderDialect;
import dev.sluice.http.InvalidTokenAction;
import dev.sluice.http.TokenVerifier;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.config.RateLimitConfig;
import dev.sluice.redis.RedisStoreConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything a {@code gateway.toml} sets: where the gateway listens, the upstream it forwards
 * allowed requests to, its timeouts and request bound, the admin listener, the header dialects, and
 * the rate-limit configuration ({@code [limiter]}, {@code [defaults]}, {@code [tiers]}, {@code
 * [[rules]]}, {@code [exemptions]}, {@code [penalty]}, {@code [identity]}). Read one with {@link
 * GatewayConfigLoader}.
 *
 * @param listen the public address (port 0 picks a free one)
 * @param mode proxy in front of the upstream, or answer decisions only
 * @param upstream the base URI allowed requests are forwarded to, {@code http://host:port}; null in
 *     {@link Mode#CHECK} mode
 * @param connectTimeout how long to wait for a connection to the upstream
 * @param responseTimeout how long to wait for the upstream's whole response
 * @param maxRequestBytes the largest request body forwarded; larger ones get 413
 * @param admin the admin address (metrics, health, reload), loopback by default
 * @param adminToken a bearer token the admin endpoints require, or null for none
 * @param dialect the rate-limit header dialects sent
 * @param documentationUrl the URL a 429 body points to, or null
 * @param rateLimit the rate-limit policy and bounds
 * @param redis the Redis store's configuration ({@code [store] kind = "redis"}), or null for the
 *     in-memory store
 * @param tokens how bearer tokens are verified ({@code [jwt]}), or null to read none
 * @param onInvalidToken what a token that fails verification gets
 * @param watch whether the gateway reloads the file when it changes ({@code gateway.watch})
 * @param logging what the decision log and access log write ({@code [logging]})
 */
public record GatewayConfig(
    InetSocketAddress listen,
    Mode mode,
    @Nullable URI upstream,
    Duration connectTimeout,
    Duration responseTimeout,
    long maxRequestBytes,
    InetSocketAddress admin,
    @Nullable String adminToken,
    HeaderDialect dialect,
    @Nullable String documentationUrl,
    RateLimitConfig rateLimit,
    @Nullable RedisStoreConfig redis,
    @Nullable TokenVerifier tokens,
    InvalidTokenAction onInvalidToken,
    boolean watch,
    Logging logging) {
  /** Requires every part. */
  public GatewayConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(mode, "mode");
    if (mode == Mode.PROXY) {
      Objects.requireNonNull(upstream, "upstream");
    }
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(responseTimeout, "responseTimeout");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(dialect, "dialect");
    Objects.requireNonNull(rateLimit, "rateLimit");
    Objects.requireNonNull(onInvalidToken, "onInvalidToken");
    Objects.requireNonNull(logging, "logging");
  }

  /**
   * The {@code [logging]} table. Decisions are logged as JSON lines by the {@code
   * dev.sluice.decisions} logger: every refusal and one allowed request in {@code allowedSampling},
   * at most {@code eventsPerSecond} a second (the rest are counted in a summary line).
   *
   * @param allowedSampling log one allowed request in this many; 0 for none ({@code
   *     allowed-sampling})
   * @param eventsPerSecond the most decision events written a second, at least 1 ({@code
   *     events-per-second})
   * @param accessLog one line per request on the {@code dev.sluice.gateway.access} logger ({@code
   *     access-log})
   */
  public record Logging(long allowedSampling, long eventsPerSecond, boolean accessLog) {
    /** Nothing allowed logged, 100 events a second, no access log. */
    public static final Logging DEFAULT = new Logging(0, 100, false);

    /** Checks the bounds. */
    public Logging {
      if (allowedSampling < 0) {
        throw new RateLimitConfigException(
            "logging.allowed-sampling must be >= 0, was " + allowedSampling);
      }
      if (eventsPerSecond < 1) {
        throw new RateLimitConfigException(
            "logging.events-per-second must be >= 1, was " + eventsPerSecond);
      }
    }
  }

  /** What the public listener does with a request. */
  public enum Mode {
    /** Decide, then forward allowed requests to the upstream (the default). */
    PROXY,
    /**
     * Decide only, on the request named by {@code X-Original-Method} and {@code X-Original-URI}:
     * 200 with the rate-limit headers, or the 429 (nginx {@code auth_request}, envoy {@code
     * ext_authz}).
     */
    CHECK
  }
}
