package dev.sluice.http;

import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.config.RateLimitConfig;
import dev.sluice.ratelimit.policy.AddressRange;
import dev.sluice.ratelimit.policy.IpLiteral;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the client's address is found: the socket peer by default; behind trusted proxies, the
 * rightmost address of {@code X-Forwarded-For} or {@code Forwarded} that is not a trusted proxy
 * (or, in hop-count mode, the address {@code trustedHops} from the right). IPv6 clients are counted
 * per prefix ({@code /64} by default), IPv4-mapped IPv6 as IPv4.
 *
 * <p>When the chain cannot be read past a trusted hop (an entry that is not an address, {@code
 * unknown}, an obfuscated id, fewer entries than trusted hops, or every entry trusted), the client
 * is counted as the socket peer: such requests pool under the proxy, and never under an address the
 * client chose.
 *
 * <pre>{@code
 * ClientIdentity identity = ClientIdentity.builder()
 *     .trustedProxies(List.of("10.0.0.0/8"))
 *     .header(ForwardingHeader.X_FORWARDED_FOR)
 *     .build();
 * }</pre>
 *
 * @param trustedProxies the proxies whose forwarding headers are believed
 * @param header the forwarding header they write
 * @param trustedHops when above 0, the number of proxies in front (hop-count mode): the peer is
 *     always believed and the client is the entry {@code trustedHops} from the right
 * @param ipv6PrefixLength IPv6 addresses are counted per prefix of this length, 1-128
 * @param apiKey when set, a request that sends an API key is counted under the key's digest instead
 *     of its address (see {@link ApiKeyIdentity}); null to count by address only
 */
public record ClientIdentity(
    List<AddressRange> trustedProxies,
    ForwardingHeader header,
    int trustedHops,
    int ipv6PrefixLength,
    @Nullable ApiKeyIdentity apiKey) {
  /** The default IPv6 prefix a client is counted under. */
  public static final int DEFAULT_IPV6_PREFIX = 64;

  /**
   * Validates the settings.
   *
   * @throws RateLimitConfigException if a value is out of range
   */
  public ClientIdentity {
    trustedProxies = List.copyOf(trustedProxies);
    Objects.requireNonNull(header, "header");
    if (trustedHops < 0 || trustedHops > ForwardedParsers.MAX_HOPS) {
      throw new RateLimitConfigException(
          "identity.trusted-hops must be 0-" + ForwardedParsers.MAX_HOPS + ", was " + trustedHops);
    }
    if (ipv6PrefixLength < 1 || ipv6PrefixLength > 128) {
      throw new RateLimitConfigException(
          "identity.ipv6-prefix must be 1-128, was " + ipv6PrefixLength);
    }
  }

  /**
   * The socket peer is the client; forwarding headers are ignored.
   *
   * @return the default identity
   */
  public static ClientIdentity socketPeer() {
    return builder().build();
  }

  /**
   * The identity a loaded configuration's {@code [http.identity]} table describes (see {@code
   * docs/http.md}); the socket peer when the table is absent.
   *
   * @param config the configuration
   * @return the identity settings
   * @throws RateLimitConfigException if the table breaks a rule
   */
  public static ClientIdentity from(RateLimitConfig config) {
    return HttpConfig.identity(config.http());
  }

  /**
   * Starts an identity configuration.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The address a request is counted under, in canonical text (IPv6 masked to the prefix).
   *
   * @param request the request
   * @return the address text
   */
  public String clientAddress(HttpRequestView request) {
    String peerText = request.peerAddress();
    if (trustedHops == 0 && trustedProxies.isEmpty() && canonicalIpv4(peerText)) {
      return peerText; // a dotted quad that parses is already in canonical text
    }
    byte[] peer = peerBytes(peerText);
    if (peer == null) {
      // not a literal (a unix socket, say): count it as it is, all such peers together
      return request.peerAddress();
    }
    byte[] client = null;
    if (trustedHops > 0 || trusted(peer)) {
      List<byte[]> hops =
          header == ForwardingHeader.FORWARDED
              ? ForwardedParsers.forwarded(request.headers("Forwarded"))
              : ForwardedParsers.xForwardedFor(request.headers("X-Forwarded-For"));
      client = trustedHops > 0 ? byHops(hops) : rightmostUntrusted(hops);
    }
    return format(client != null ? client : peer);
  }

  /**
   * The identity key of the API key a request sends, when API-key identity is on.
   *
   * @param request the request
   * @return {@code key:<digest>}, or null to count the request by address
   */
  public @Nullable String apiKeyIdentity(HttpRequestView request) {
    return apiKey == null ? null : apiKey.identityOf(request.headers(apiKey.header()));
  }

  /**
   * Whether a text is an IPv4 literal {@link IpLiteral#parse} accepts: four decimal parts of 0-255
   * without leading zeros. Such text is its own canonical form.
   */
  static boolean canonicalIpv4(String text) {
    if (text == null) {
      return false;
    }
    int n = text.length();
    if (n < 7 || n > 15) {
      return false;
    }
    int i = 0;
    for (int part = 1; ; part++) {
      // one part: "0", or 1-3 digits without a leading zero, at most 255
      int value = text.charAt(i++) - '0';
      if (value < 0 || value > 9) {
        return false;
      }
      if (value != 0) {
        for (int d = 1; d < 3 && i < n; d++) {
          int digit = text.charAt(i) - '0';
          if (digit < 0 || digit > 9) {
            break;
          }
          value = value * 10 + digit;
          i++;
        }
        if (value > 255) {
          return false;
        }
      }
      if (part == 4) {
        return i == n;
      }
      if (i >= n - 1 || text.charAt(i++) != '.') {
        return false;
      }
    }
  }

  /** The rightmost hop that is not trusted, or null when the chain cannot be read that far. */
  byte[] rightmostUntrusted(List<byte[]> hops) {
    for (int i = hops.size() - 1; i >= 0; i--) {
      byte[] hop = hops.get(i);
      if (hop == null) {
        return null;
      }
      if (!trusted(hop)) {
        return hop;
      }
    }
    return null;
  }

  private byte @Nullable [] byHops(List<byte[]> hops) {
    return hops.size() < trustedHops ? null : hops.get(hops.size() - trustedHops);
  }

  boolean trusted(byte[] address) {
    for (AddressRange range : trustedProxies) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  private static byte @Nullable [] peerBytes(String peer) {
    if (peer == null) {
      return null;
    }
    String text =
        peer.startsWith("[") && peer.endsWith("]") ? peer.substring(1, peer.length() - 1) : peer;
    int zone = text.indexOf('%');
    return IpLiteral.parse(zone >= 0 ? text.substring(0, zone) : text);
  }

  private String format(byte[] address) {
    if (address.length == 16 && ipv6PrefixLength < 128) {
      byte[] masked = address.clone();
      for (int bit = ipv6PrefixLength; bit < 128; bit++) {
        masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
      }
      return IpLiteral.format(masked);
    }
    return IpLiteral.format(address);
  }

  /** Collects identity settings. */
  public static final class Builder {
    private final List<AddressRange> trusted = new ArrayList<>();
    private ForwardingHeader header = ForwardingHeader.X_FORWARDED_FOR;
    private int trustedHops;
    private int ipv6Prefix = DEFAULT_IPV6_PREFIX;
    private @Nullable String apiKeyHeader;
    private int apiKeyMaxLength = ApiKeyIdentity.DEFAULT_MAX_LENGTH;
    private List<String> knownApiKeys = List.of();

    private Builder() {}

    /**
     * Counts a request that sends an API key in this header under the key (its digest) instead of
     * its address; off by default. A verified token's user still comes first.
     *
     * @param name such as {@code X-API-Key}; null turns it off
     * @return this builder
     */
    public Builder apiKeyHeader(String name) {
      this.apiKeyHeader = name;
      return this;
    }

    /**
     * Sets the longest header value taken as an API key; {@value ApiKeyIdentity#DEFAULT_MAX_LENGTH}
     * by default. Longer values are counted by address.
     *
     * @param length 1 to {@value ApiKeyIdentity#MAX_LENGTH_LIMIT}
     * @return this builder
     */
    public Builder apiKeyMaxLength(int length) {
      this.apiKeyMaxLength = length;
      return this;
    }

    /**
     * Accepts only these API keys as identities; by default any well-formed key is one.
     *
     * @param sha256Digests the SHA-256 hex digest of each accepted key ({@link
     *     ApiKeyIdentity#digest}), so the configuration holds no secret
     * @return this builder
     */
    public Builder knownApiKeys(List<String> sha256Digests) {
      this.knownApiKeys = List.copyOf(sha256Digests);
      return this;
    }

    /**
     * Sets the trusted proxies, as address literals or CIDR ranges.
     *
     * @param ranges such as {@code 10.0.0.0/8}, {@code fd00::/8}
     * @return this builder
     * @throws RateLimitConfigException if a range does not parse, naming its position
     */
    public Builder trustedProxies(List<String> ranges) {
      trusted.clear();
      for (int i = 0; i < ranges.size(); i++) {
        try {
          trusted.add(AddressRange.parse(ranges.get(i)));
        } catch (RateLimitConfigException e) {
          throw e.within("identity.trusted-proxies[" + i + "]");
        }
      }
      return this;
    }

    /**
     * Sets the forwarding header; {@code X-Forwarded-For} by default.
     *
     * @param header the header
     * @return this builder
     */
    public Builder header(ForwardingHeader header) {
      this.header = Objects.requireNonNull(header, "header");
      return this;
    }

    /**
     * Switches to hop-count mode: exactly this many proxies stand in front.
     *
     * @param hops 1 or more; 0 turns hop-count mode off
     * @return this builder
     */
    public Builder trustedHops(int hops) {
      this.trustedHops = hops;
      return this;
    }

    /**
     * Sets the IPv6 prefix clients are counted under; 64 by default, 128 for each address.
     *
     * @param length 1-128
     * @return this builder
     */
    public Builder ipv6PrefixLength(int length) {
      this.ipv6Prefix = length;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the identity settings
     * @throws RateLimitConfigException if a value is out of range
     */
    public ClientIdentity build() {
      if (apiKeyHeader == null
          && (apiKeyMaxLength != ApiKeyIdentity.DEFAULT_MAX_LENGTH || !knownApiKeys.isEmpty())) {
        throw new RateLimitConfigException(
            "identity.api-key-header must be set when identity.api-key-max-length or"
                + " identity.api-keys-sha256 is, was not set");
      }
      ApiKeyIdentity apiKey =
          apiKeyHeader == null
              ? null
              : ApiKeyIdentity.of(apiKeyHeader, apiKeyMaxLength, knownApiKeys);
      return new ClientIdentity(trusted, header, trustedHops, ipv6Prefix, apiKey);
    }
  }
}
