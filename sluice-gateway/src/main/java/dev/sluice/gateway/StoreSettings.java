package dev.sluice.gateway;

import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.config.ConfigTable;
import dev.sluice.redis.FailureMode;
import dev.sluice.redis.RedisStoreConfig;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code [store]} table: {@code kind = "memory"} (the default) or {@code "redis"}, at a
 * {@code url} ({@code redis://[:password@]host[:port][/database]}) or {@code endpoint}, or through
 * {@code sentinels} or a {@code cluster}.
 */
final class StoreSettings {
  private static final Set<String> KEYS =
      Set.of(
          "kind",
          "url",
          "endpoint",
          "sentinel-master",
          "sentinels",
          "cluster",
          "password",
          "database",
          "key-prefix",
          "fail-mode",
          "fallback-nodes",
          "command-timeout",
          "connect-timeout",
          "reconnect-delay-max",
          "breaker-open-delay");

  private StoreSettings() {}

  /** The Redis store's configuration, or null for the in-memory store. */
  static @Nullable RedisStoreConfig read(ConfigTable store) {
    store.onlyKeys(KEYS);
    String kind = store.choice("kind", "memory", "memory", "redis");
    if (kind.equals("memory")) {
      for (String key : KEYS) {
        if (!key.equals("kind") && store.has(key)) {
          throw new RateLimitConfigException(
              "store." + key + " applies to kind = \"redis\" only, was set with kind = \"memory\"");
        }
      }
      return null;
    }
    RedisStoreConfig.Builder b = RedisStoreConfig.builder();
    int topologies =
        (store.has("url") ? 1 : 0)
            + (store.has("endpoint") ? 1 : 0)
            + (store.has("sentinels") ? 1 : 0)
            + (store.has("cluster") ? 1 : 0);
    if (topologies > 1) {
      throw new RateLimitConfigException(
          "store: set one of url, endpoint, sentinels (with sentinel-master) or cluster, was "
              + topologies);
    }
    if (store.has("sentinels")) {
      if (!store.has("sentinel-master")) {
        throw new RateLimitConfigException("store.sentinel-master is required with sentinels");
      }
      b.sentinel(store.text("sentinel-master"), endpoints(store, "sentinels"));
    } else if (store.has("cluster")) {
      b.cluster(endpoints(store, "cluster"));
    } else if (store.has("url")) {
      url(b, store);
    } else {
      b.standalone(store.text("endpoint", "127.0.0.1:6379"));
    }
    if (store.has("password")) {
      b.password(store.text("password"));
    }
    if (store.has("database")) {
      b.database(store.intValue("database", 0));
    }
    if (store.has("key-prefix")) {
      b.keyPrefix(store.text("key-prefix"));
    }
    if (store.has("fallback-nodes")) {
      b.fallbackNodes(store.intValue("fallback-nodes", 1));
    }
    if (store.has("command-timeout")) {
      b.commandTimeout(store.duration("command-timeout"));
    }
    if (store.has("connect-timeout")) {
      b.connectTimeout(store.duration("connect-timeout"));
    }
    if (store.has("reconnect-delay-max")) {
      b.reconnectDelayMax(store.duration("reconnect-delay-max"));
    }
    if (store.has("breaker-open-delay")) {
      // how long the fail mode answers alone before Redis is tried again (then up to 5x that)
      Duration open = store.duration("breaker-open-delay");
      b.breaker(
          CircuitBreakerConfig.builder()
              .consecutiveFailures(5)
              .openDelay(open)
              .maxOpenDelay(open.multipliedBy(5))
              .build());
    }
    b.onFailure(
        switch (store.choice("fail-mode", "fallback", "open", "closed", "fallback")) {
          case "open" -> FailureMode.FAIL_OPEN;
          case "closed" -> FailureMode.FAIL_CLOSED;
          default -> FailureMode.FALLBACK;
        });
    try {
      return b.build();
    } catch (RuntimeException e) {
      throw new RateLimitConfigException("store: " + e.getMessage(), e);
    }
  }

  /** A {@code redis://} URL: its endpoint, TLS, credentials and database, unless set apart. */
  private static void url(RedisStoreConfig.Builder b, ConfigTable store) {
    RedisUrl url = RedisUrl.parse(store.text("url"));
    b.standalone(url.endpoint());
    if (url.tls()) {
      b.tls();
    }
    String password = url.password();
    if (password != null && !store.has("password")) {
      String username = url.username();
      if (username != null) {
        b.credentials(username, password);
      } else {
        b.password(password);
      }
    }
    if (url.database() >= 0 && !store.has("database")) {
      b.database(url.database());
    }
  }

  private static List<String> endpoints(ConfigTable store, String key) {
    List<String> endpoints = store.texts(key);
    if (endpoints.isEmpty()) {
      throw store.error(key, "must be a non-empty list of host:port", endpoints);
    }
    return endpoints;
  }
}
