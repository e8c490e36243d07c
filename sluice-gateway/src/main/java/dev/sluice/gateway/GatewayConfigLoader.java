package dev.sluice.gateway;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.sluice.http.HeaderDialect;
import dev.sluice.http.InvalidTokenAction;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.config.ConfigTable;
import dev.sluice.ratelimit.config.RateLimitConfig;
import dev.sluice.ratelimit.config.TomlConfigLoader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
    ConfigTable gateway = take(root, "gateway").onlyKeys(GATEWAY_KEYS);
    ConfigTable admin = take(root, "admin").onlyKeys(ADMIN_KEYS);
    ConfigTable headers = take(root, "headers").onlyKeys(HEADERS_KEYS);
    ConfigTable logging = take(root, "logging").onlyKeys(LOGGING_KEYS);
    ConfigTable jwt = root.has("jwt") ? take(root, "jwt") : null;
    ConfigTable store = root.has("store") ? take(root, "store") : null;
    JsonNode identity = root.remove("identity");
    if (identity != null) {
      if (root.has("http")) {
        throw new RateLimitConfigException(
            "identity: set client identity in [identity] or [http.identity], not both");
      }
      root.putObject("http").set("identity", identity);
    }
    GatewayConfig.Mode mode =
        gateway.choice("mode", "proxy", "proxy", "check").equals("check")
            ? GatewayConfig.Mode.CHECK
            : GatewayConfig.Mode.PROXY;
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
        address(gateway, "listen", "127.0.0.1:8080"),
        mode,
        gateway.has("upstream") ? upstream(gateway.text("upstream")) : null,
        positive(gateway, "connect-timeout", Duration.ofSeconds(2)),
        positive(gateway, "response-timeout", Duration.ofSeconds(30)),
        bytes(gateway),
        address(admin, "listen", DEFAULT_ADMIN),
        admin.text("token", null),
        HeaderDialect.valueOf(
            headers
                .choice("dialects", "both", "ietf", "legacy", "both", "none")
                .toUpperCase(Locale.ROOT)),
        headers.text("documentation-url", null),
        rateLimit,
        store == null ? null : StoreSettings.read(store),
        tokens == null ? null : tokens.verifier(),
        tokens == null ? InvalidTokenAction.ANONYMOUS : tokens.onInvalid(),
        gateway.flag("watch", false),
        new GatewayConfig.Logging(
            logging.longValue("allowed-sampling", GatewayConfig.Logging.DEFAULT.allowedSampling()),
            logging.longValue("events-per-second", GatewayConfig.Logging.DEFAULT.eventsPerSecond()),
            logging.flag("access-log", false)));
  }

  private static ConfigTable take(ObjectNode root, String name) {
    return ConfigTable.of(root.remove(name), name);
  }

  private static InetSocketAddress address(ConfigTable table, String key, String fallback) {
    String text = table.text(key, fallback);
    String where = table.at(key);
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

  private static Duration positive(ConfigTable table, String key, Duration fallback) {
    Duration duration = table.duration(key, fallback);
    if (duration.isNegative() || duration.isZero()) {
      throw table.error(key, "must be positive", table.get(key));
    }
    return duration;
  }

  private static long bytes(ConfigTable gateway) {
    long bytes = gateway.longValue("max-request-bytes", 10L * 1024 * 1024);
    if (bytes < 0) {
      throw gateway.error("max-request-bytes", "must be an integer >= 0", bytes);
    }
    return bytes;
  }
}
