package dev.sluice.http;

import dev.sluice.ratelimit.RateLimitConfigException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Counts a request under the API key it sends in a header (such as {@code X-API-Key}) instead of
 * under its address. The key itself never leaves this class: the identity is {@code key:} and the
 * first 16 bytes of the key's SHA-256 in hex (32 characters), so store keys, decision events, logs
 * and metrics never hold the secret.
 *
 * <p><b>Which values count</b>, decided once: exactly one header line, of 1 to {@code maxLength}
 * visible ASCII characters. A request with no such line (absent, two or more lines, too long,
 * empty, a space or control character) is counted by address, as if it sent no key; it is never
 * refused for it. Two lines are never merged or chosen between, so what a proxy appends cannot pick
 * the identity.
 *
 * <p><b>Unknown keys.</b> The key is an identity, not a credential: with no registry any
 * well-formed key is counted under its own budget, as Bucket4j and Spring Cloud Gateway key
 * resolvers do. A client can then invent keys to get fresh budgets, so use it where keys are
 * verified before or after this layer, or set {@code knownDigests} (the SHA-256 hex of each key
 * issued): a key not in it is counted by address.
 *
 * @param header the header name
 * @param maxLength the longest value taken as a key
 * @param knownDigests the lower-case SHA-256 hex digests of the keys accepted; empty to accept any
 */
public record ApiKeyIdentity(String header, int maxLength, Set<String> knownDigests) {
  /** The longest key taken by default. */
  public static final int DEFAULT_MAX_LENGTH = 256;

  /** The longest {@code maxLength} allowed. */
  public static final int MAX_LENGTH_LIMIT = 8192;

  private static final HexFormat HEX = HexFormat.of();

  /**
   * Validates the settings.
   *
   * @throws RateLimitConfigException if the header is not a header name, the length is out of range
   *     or a digest is not 64 hex digits
   */
  public ApiKeyIdentity {
    Objects.requireNonNull(header, "header");
    if (header.isEmpty() || !header.chars().allMatch(ApiKeyIdentity::tchar)) {
      throw new RateLimitConfigException(
          "identity.api-key-header must be a header name (RFC 9110 token), was \"" + header + "\"");
    }
    if (maxLength < 1 || maxLength > MAX_LENGTH_LIMIT) {
      throw new RateLimitConfigException(
          "identity.api-key-max-length must be 1-" + MAX_LENGTH_LIMIT + ", was " + maxLength);
    }
    knownDigests = Set.copyOf(knownDigests);
    for (String digest : knownDigests) {
      if (digest.length() != 64 || !digest.chars().allMatch(ApiKeyIdentity::lowerHex)) {
        throw new RateLimitConfigException(
            "identity.api-keys-sha256 must hold SHA-256 digests (64 lower-case hex digits), was \""
                + digest
                + "\"");
      }
    }
  }

  /**
   * Settings with lower-cased digests.
   *
   * @param header the header name
   * @param maxLength the longest value taken as a key
   * @param knownDigests SHA-256 hex digests of the accepted keys (any case); empty to accept any
   * @return the settings
   */
  public static ApiKeyIdentity of(String header, int maxLength, Collection<String> knownDigests) {
    return new ApiKeyIdentity(
        header,
        maxLength,
        knownDigests.stream()
            .map(d -> d.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet()));
  }

  /**
   * The SHA-256 hex digest of a key, as {@code knownDigests} holds it.
   *
   * @param key the key
   * @return 64 lower-case hex digits
   */
  public static String digest(String key) {
    return HEX.formatHex(sha256(key));
  }

  /**
   * The identity a request's key lines give, if any.
   *
   * @param lines every line of the header
   * @return {@code key:<32 hex digits>}, or null to count the request by address
   */
  @Nullable String identityOf(List<String> lines) {
    if (lines.size() != 1) {
      return null;
    }
    String key = lines.get(0);
    int n = key.length();
    if (n == 0 || n > maxLength) {
      return null;
    }
    for (int i = 0; i < n; i++) {
      char c = key.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return null;
      }
    }
    byte[] hash = sha256(key);
    if (!knownDigests.isEmpty() && !knownDigests.contains(HEX.formatHex(hash))) {
      return null;
    }
    return "key:" + HEX.formatHex(hash, 0, 16);
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  private static boolean tchar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }

  private static boolean lowerHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }
}
