package dev.sluice.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.redis.FailureMode;
import dev.sluice.redis.RedisStoreConfig;
import dev.sluice.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
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
  static RedisStoreConfig read(JsonNode store) {
    for (Iterator<String> it = store.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new RateLimitConfigException(
            "store." + key + " is not a known key (known: " + String.join(", ", KEYS) + ")");
      }
    }
    String kind = text(store, "kind", "memory");
    if (kind.equals("memory")) {
      for (String key : KEYS) {
        if (!key.equals("kind") && store.has(key)) {
          throw new RateLimitConfigException(
              "store." + key + " applies to kind = \"redis\" only, was set with kind = \"memory\"");
        }
      }
      return null;
    }
    if (!kind.equals("redis")) {
      throw new RateLimitConfigException(
          "store.kind must be memory or redis, was \"" + kind + "\"");
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
      b.sentinel(text(store, "sentinel-master", null), list(store, "sentinels"));
    } else if (store.has("cluster")) {
      b.cluster(list(store, "cluster"));
    } else if (store.has("url")) {
      RedisUrl url = RedisUrl.parse(text(store, "url", null));
      b.standalone(url.endpoint());
      if (url.tls()) {
        b.tls();
      }
      if (url.password() != null && !store.has("password")) {
        if (url.username() != null) {
          b.credentials(url.username(), url.password());
        } else {
          b.password(url.password());
        }
      }
      if (url.database() >= 0 && !store.has("database")) {
        b.database(url.database());
      }
    } else {
      b.standalone(text(store, "endpoint", "127.0.0.1:6379"));
    }
    if (store.has("password")) {
      b.password(text(store, "password", null));
    }
    if (store.has("database")) {
      b.database(integer(store, "database"));
    }
    if (store.has("key-prefix")) {
      b.keyPrefix(text(store, "key-prefix", null));
    }
    if (store.has("fallback-nodes")) {
      b.fallbackNodes(integer(store, "fallback-nodes"));
    }
    if (store.has("command-timeout")) {
      b.commandTimeout(duration(store, "command-timeout"));
    }
    if (store.has("connect-timeout")) {
      b.connectTimeout(duration(store, "connect-timeout"));
    }
    if (store.has("reconnect-delay-max")) {
      b.reconnectDelayMax(duration(store, "reconnect-delay-max"));
    }
    if (store.has("breaker-open-delay")) {
      // how long the fail mode answers alone before Redis is tried again (then up to 5x that)
      Duration open = duration(store, "breaker-open-delay");
      b.breaker(
          CircuitBreakerConfig.builder()
              .consecutiveFailures(5)
              .openDelay(open)
              .maxOpenDelay(open.multipliedBy(5))
              .build());
    }
    b.onFailure(
        switch (text(store, "fail-mode", "fallback")) {
          case "open" -> FailureMode.FAIL_OPEN;
          case "closed" -> FailureMode.FAIL_CLOSED;
          case "fallback" -> FailureMode.FALLBACK;
          default ->
              throw new RateLimitConfigException(
                  "store.fail-mode must be open, closed or fallback, was \""
                      + store.get("fail-mode").asText()
                      + "\"");
        });
    try {
      return b.build();
    } catch (RuntimeException e) {
      throw new RateLimitConfigException("store: " + e.getMessage(), e);
    }
  }

  private static @Nullable String text(JsonNode table, String key, @Nullable String fallback) {
    JsonNode value = table.get(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new RateLimitConfigException(
          "store." + key + " must be a non-empty string, was " + value);
    }
    return value.asText();
  }

  private static int integer(JsonNode table, String key) {
    JsonNode value = table.get(key);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new RateLimitConfigException("store." + key + " must be an integer, was " + value);
    }
    return value.asInt();
  }

  private static Duration duration(JsonNode table, String key) {
    String text = text(table, key, null);
    try {
      return Durations.parse(text);
    } catch (RuntimeException e) {
      throw new RateLimitConfigException(
          "store." + key + " must be a duration such as 250ms, was \"" + text + "\"", e);
    }
  }

  private static List<String> list(JsonNode table, String key) {
    JsonNode value = table.get(key);
    if (!value.isArray() || value.isEmpty()) {
      throw new RateLimitConfigException(
          "store." + key + " must be a non-empty list of host:port, was " + value);
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw new RateLimitConfigException(
            "store." + key + " must be a list of host:port strings, was " + value);
      }
      out.add(item.asText());
    }
    return out;
  }
}
