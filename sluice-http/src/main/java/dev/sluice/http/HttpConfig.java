package dev.sluice.http;

import dev.sluice.ratelimit.RateLimitConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code [http]} table of a rate-limit configuration file, strictly (an unknown key or a
 * value of the wrong type is refused, naming the key and the value):
 *
 * <pre>{@code
 * [http.identity]
 * trusted-proxies = ["10.0.0.0/8"]
 * forwarding-header = "x-forwarded-for"   # or "forwarded"
 * trusted-hops = 0
 * ipv6-prefix = 64
 * api-key-header = "X-API-Key"
 * api-key-max-length = 256
 * api-keys-sha256 = []                     # empty: any well-formed key is an identity
 * }</pre>
 */
final class HttpConfig {
  private static final Set<String> HTTP_KEYS = Set.of("identity");
  private static final Set<String> IDENTITY_KEYS =
      Set.of(
          "trusted-proxies",
          "forwarding-header",
          "trusted-hops",
          "ipv6-prefix",
          "api-key-header",
          "api-key-max-length",
          "api-keys-sha256");

  private HttpConfig() {}

  /** The identity settings of an {@code [http]} table; the socket peer when it sets none. */
  static ClientIdentity identity(Map<String, Object> http) {
    onlyKeys(http, "http", HTTP_KEYS);
    Object node = http.get("identity");
    if (node == null) {
      return ClientIdentity.socketPeer();
    }
    if (!(node instanceof Map<?, ?> raw)) {
      throw new RateLimitConfigException("http.identity must be a table, was " + node);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> table = (Map<String, Object>) raw;
    onlyKeys(table, "http.identity", IDENTITY_KEYS);
    ClientIdentity.Builder b = ClientIdentity.builder();
    try {
      if (table.containsKey("trusted-proxies")) {
        b.trustedProxies(strings(table.get("trusted-proxies"), "trusted-proxies"));
      }
      if (table.containsKey("forwarding-header")) {
        String header = text(table.get("forwarding-header"), "forwarding-header");
        b.header(
            switch (header.toLowerCase(Locale.ROOT)) {
              case "x-forwarded-for" -> ForwardingHeader.X_FORWARDED_FOR;
              case "forwarded" -> ForwardingHeader.FORWARDED;
              default ->
                  throw new RateLimitConfigException(
                      "identity.forwarding-header must be x-forwarded-for or forwarded, was \""
                          + header
                          + "\"");
            });
      }
      if (table.containsKey("trusted-hops")) {
        b.trustedHops(integer(table.get("trusted-hops"), "trusted-hops"));
      }
      if (table.containsKey("ipv6-prefix")) {
        b.ipv6PrefixLength(integer(table.get("ipv6-prefix"), "ipv6-prefix"));
      }
      if (table.containsKey("api-key-header")) {
        b.apiKeyHeader(text(table.get("api-key-header"), "api-key-header"));
      }
      if (table.containsKey("api-key-max-length")) {
        b.apiKeyMaxLength(integer(table.get("api-key-max-length"), "api-key-max-length"));
      }
      if (table.containsKey("api-keys-sha256")) {
        b.knownApiKeys(strings(table.get("api-keys-sha256"), "api-keys-sha256"));
      }
      return b.build();
    } catch (RateLimitConfigException e) {
      throw e.within("http");
    }
  }

  private static void onlyKeys(Map<String, Object> table, String where, Set<String> allowed) {
    for (String key : table.keySet()) {
      if (!allowed.contains(key)) {
        throw new RateLimitConfigException(
            where
                + "."
                + key
                + " is not a known key (known here: "
                + String.join(", ", allowed.stream().sorted().toList())
                + ")");
      }
    }
  }

  private static String text(Object value, String key) {
    if (!(value instanceof String s)) {
      throw new RateLimitConfigException("identity." + key + " must be a text, was " + value);
    }
    return s;
  }

  private static int integer(Object value, String key) {
    if (!(value instanceof Number n)
        || n instanceof Double
        || n instanceof Float
        || n.longValue() != n.intValue()) {
      throw new RateLimitConfigException("identity." + key + " must be an integer, was " + value);
    }
    return n.intValue();
  }

  private static List<String> strings(Object value, String key) {
    if (!(value instanceof List<?> list)) {
      throw new RateLimitConfigException(
          "identity." + key + " must be an array of texts, was " + value);
    }
    List<String> out = new ArrayList<>();
    for (Object element : list) {
      out.add(text(element, key + "[" + out.size() + "]"));
    }
    return out;
  }
}
