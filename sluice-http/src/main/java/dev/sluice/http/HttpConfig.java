package dev.sluice.http;

import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.config.ConfigTable;
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
    ConfigTable root = ConfigTable.of(http, "http").onlyKeys(HTTP_KEYS);
    if (!root.has("identity")) {
      return ClientIdentity.socketPeer();
    }
    ConfigTable table = root.table("identity").onlyKeys(IDENTITY_KEYS);
    ClientIdentity.Builder b = ClientIdentity.builder();
    try {
      if (table.has("trusted-proxies")) {
        b.trustedProxies(table.texts("trusted-proxies"));
      }
      if (table.has("forwarding-header")) {
        b.header(
            table
                    .choice("forwarding-header", "x-forwarded-for", "x-forwarded-for", "forwarded")
                    .equals("forwarded")
                ? ForwardingHeader.FORWARDED
                : ForwardingHeader.X_FORWARDED_FOR);
      }
      if (table.has("trusted-hops")) {
        b.trustedHops(table.intValue("trusted-hops", 0));
      }
      if (table.has("ipv6-prefix")) {
        b.ipv6PrefixLength(table.intValue("ipv6-prefix", 0));
      }
      if (table.has("api-key-header")) {
        b.apiKeyHeader(table.text("api-key-header"));
      }
      if (table.has("api-key-max-length")) {
        b.apiKeyMaxLength(table.intValue("api-key-max-length", 0));
      }
      if (table.has("api-keys-sha256")) {
        b.knownApiKeys(table.texts("api-keys-sha256"));
      }
      return b.build();
    } catch (RateLimitConfigException e) {
      // the builder names its settings as identity.*; the ones read here already say http.identity
      throw e.getMessage().startsWith("http.") ? e : e.within("http");
    }
  }
}
