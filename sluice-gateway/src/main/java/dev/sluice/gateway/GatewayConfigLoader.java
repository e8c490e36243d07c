package dev.sluice.gateway;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.sluice.http.HeaderDialect;
import dev.sluice.http.InvalidTokenAction;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.config.RateLimitConfig;
import dev.sluice.ratelimit.config.TomlConfigLoader;
import dev.sluice.time.Durations;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@link GatewayConfig} from TOML, strictly: the gateway's own tables ({@code [gateway]},
 * {@code [admin]}, {@code [headers]}, {@code [identity]}, {@code [store]}, {@code [jwt]}, {@code
 * [logging]}) are checked here, every other table by {@link TomlConfigLoader} with its environment
 * overrides; an error names the key and the value.
 *
 * <pre>{@code
 * GatewayConfig config = GatewayConfigLoader.load(Path.of("gateway.toml"), System.getenv());
 * }</pre>
 */
public final class GatewayConfigLoader {
  /** The admin address used unless {@code admin.listen} is set: loopback only. */
  public static final String DEFAULT_ADMIN = "127.0.0.1:9090";

  private static final TomlMapper MAPPER = new TomlMapper();
  private static final Set<String> GATEWAY_KEYS =
      Set.of(
          "listen",
          "mode",
          "upstream",
          "connect-timeout",
          "response-timeout",
          "max-request-bytes",
          "watch");
  private static final Set<String> LOGGING_KEYS =
      Set.of("allowed-sampling", "events-per-second", "access-log");
  private static final Set<String> ADMIN_KEYS = Set.of("listen", "token");
  private static final Set<String> HEADERS_KEYS = Set.of("dialects", "documentation-url");

  private GatewayConfigLoader() {}

  /**
   * Reads a configuration file.
   *
   * @param file the TOML file
   * @param env environment variables, usually {@link System#getenv()}
   * @return the validated configuration
   * @throws RateLimitConfigException if the file cannot be read or breaks a rule
   */
  public static GatewayConfig load(Path file, Map<String, String> env) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RateLimitConfigException("cannot read gateway configuration " + file, e);
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(text, env, dir == null ? Path.of("") : dir);
  }

  /**
   * Reads configuration text.
   *
   * @param toml the TOML text
   * @param env environment variables that override values of the rate-limit tables
   * @return the validated configuration
   * @throws RateLimitConfigException if the text is not TOML or breaks a rule
   */
  public static GatewayConfig parse(String toml, Map<String, String> env) {
    return parse(toml, env, Path.of(""));
  }

  private static GatewayConfig parse(String toml, Map<String, String> env, Path base) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(toml);
    } catch (JacksonException e) {
      throw new RateLimitConfigException(
          "gateway configuration is not valid TOML: " + e.getOriginalMessage(), e);
    }
    ObjectNode root = tree instanceof ObjectNode object ? object : MAPPER.createObjectNode();
    JsonNode gateway = take(root, "gateway", GATEWAY_KEYS);
    JsonNode admin = take(root, "admin", ADMIN_KEYS);
    JsonNode headers = take(root, "headers", HEADERS_KEYS);
    JsonNode logging = take(root, "logging", LOGGING_KEYS);
    JsonNode jwt = root.remove("jwt");
    if (jwt != null && !jwt.isObject()) {
      throw new RateLimitConfigException("jwt must be a table, was " + jwt);
    }
    JsonNode store = root.remove("store");
    if (store != null && !store.isObject()) {
      throw new RateLimitConfigException("store must be a table, was " + store);
    }
    JsonNode identity = root.remove("identity");
    if (identity != null) {
      if (root.has("http")) {
        throw new RateLimitConfigException(
            "identity: set client identity in [identity] or [http.identity], not both");
      }
      root.putObject("http").set("identity", identity);
    }
    GatewayConfig.Mode mode = mode(text(gateway, "mode", "gateway.mode", "proxy"));
    if (mode == GatewayConfig.Mode.PROXY && !gateway.has("upstream")) {
      throw new RateLimitConfigException("gateway.upstream is required in proxy mode, was absent");
    }
    RateLimitConfig rateLimit;
    try {
      // the remaining tables, written back as TOML, are the rate-limit loader's to check
      rateLimit =
          TomlConfigLoader.parse(root.isEmpty() ? "" : MAPPER.writeValueAsString(root), env);
    } catch (JacksonException e) {
      throw new RateLimitConfigException("gateway configuration cannot be re-read", e);
    }
    JwtSettings.Tokens tokens = jwt == null ? null : JwtSettings.read(jwt, env, base);
    return new GatewayConfig(
        address(gateway, "listen", "gateway.listen", "127.0.0.1:8080"),
        mode,
        gateway.has("upstream")
            ? upstream(text(gateway, "upstream", "gateway.upstream", null))
            : null,
        duration(gateway, "connect-timeout", "gateway.connect-timeout", "2s"),
        duration(gateway, "response-timeout", "gateway.response-timeout", "30s"),
        bytes(gateway),
        address(admin, "listen", "admin.listen", DEFAULT_ADMIN),
        text(admin, "token", "admin.token", null),
        dialect(text(headers, "dialects", "headers.dialects", "both")),
        text(headers, "documentation-url", "headers.documentation-url", null),
        rateLimit,
        store == null ? null : StoreSettings.read(store),
        tokens == null ? null : tokens.verifier(),
        tokens == null ? InvalidTokenAction.ANONYMOUS : tokens.onInvalid(),
        flag(gateway, "watch", "gateway.watch"),
        new GatewayConfig.Logging(
            count(logging, "allowed-sampling", GatewayConfig.Logging.DEFAULT.allowedSampling()),
            count(logging, "events-per-second", GatewayConfig.Logging.DEFAULT.eventsPerSecond()),
            flag(logging, "access-log", "logging.access-log")));
  }

  private static boolean flag(JsonNode table, String key, String where) {
    JsonNode value = table.get(key);
    if (value == null) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new RateLimitConfigException(where + " must be true or false, was " + value);
    }
    return value.booleanValue();
  }

  private static long count(JsonNode table, String key, long fallback) {
    JsonNode value = table.get(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new RateLimitConfigException("logging." + key + " must be an integer, was " + value);
    }
    return value.asLong();
  }

  private static JsonNode take(ObjectNode root, String name, Set<String> keys) {
    JsonNode table = root.remove(name);
    if (table == null) {
      return MAPPER.createObjectNode();
    }
    if (!table.isObject()) {
      throw new RateLimitConfigException(name + " must be a table, was " + table);
    }
    for (Iterator<String> it = table.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!keys.contains(key)) {
        throw new RateLimitConfigException(
            name + "." + key + " is not a known key (known: " + String.join(", ", keys) + ")");
      }
    }
    return table;
  }

  private static @Nullable String text(
      JsonNode table, String key, String where, @Nullable String fallback) {
    JsonNode value = table.get(key);
    if (value == null) {
      return fallback;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new RateLimitConfigException(where + " must be a non-empty string, was " + value);
    }
    return value.asText();
  }

  private static InetSocketAddress address(
      JsonNode table, String key, String where, String fallback) {
    String text = text(table, key, where, fallback);
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new RateLimitConfigException(where + " must be host:port, was \"" + text + "\"");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new RateLimitConfigException(
          where + " port must be in 0..65535, was \"" + text.substring(colon + 1) + "\"");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  private static URI upstream(String text) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new RateLimitConfigException(
          "gateway.upstream must be an http:// URI, was \"" + text + "\"", e);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new RateLimitConfigException(
          "gateway.upstream must be an http:// or https:// URI with a host, was \"" + text + "\"");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new RateLimitConfigException(
          "gateway.upstream must not have a query or fragment, was \"" + text + "\"");
    }
    return uri;
  }

  private static Duration duration(JsonNode table, String key, String where, String fallback) {
    String text = text(table, key, where, fallback);
    Duration duration;
    try {
      duration = Durations.parse(text);
    } catch (RuntimeException e) {
      throw new RateLimitConfigException(
          where + " must be a duration such as 2s or 500ms, was \"" + text + "\"", e);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new RateLimitConfigException(where + " must be positive, was \"" + text + "\"");
    }
    return duration;
  }

  private static long bytes(JsonNode gateway) {
    JsonNode value = gateway.get("max-request-bytes");
    if (value == null) {
      return 10L * 1024 * 1024;
    }
    if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0) {
      throw new RateLimitConfigException(
          "gateway.max-request-bytes must be an integer >= 0, was " + value);
    }
    return value.asLong();
  }

  private static GatewayConfig.Mode mode(String text) {
    return switch (text) {
      case "proxy" -> GatewayConfig.Mode.PROXY;
      case "check" -> GatewayConfig.Mode.CHECK;
      default ->
          throw new RateLimitConfigException(
              "gateway.mode must be proxy or check, was \"" + text + "\"");
    };
  }

  private static HeaderDialect dialect(String text) {
    try {
      return HeaderDialect.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new RateLimitConfigException(
          "headers.dialects must be one of ietf, legacy, both, none, was \"" + text + "\"", e);
    }
  }
}
