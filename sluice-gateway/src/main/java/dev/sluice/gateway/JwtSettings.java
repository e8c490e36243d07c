package dev.sluice.gateway;

import dev.sluice.http.InvalidTokenAction;
import dev.sluice.http.JwtVerifier;
import dev.sluice.http.TokenVerifier;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.config.ConfigTable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code [jwt]} table: how bearer tokens are verified before their user and tier count.
 * The key is one of: an HMAC secret from an environment variable ({@code secret-env}, the safe
 * choice) or from the file ({@code hmac-secret}); an RSA or EC public key in a PEM file ({@code
 * public-key-file}); or a JWKS URL ({@code jwks-url}).
 */
final class JwtSettings {
  private static final Set<String> KEYS =
      Set.of(
          "secret-env",
          "hmac-secret",
          "public-key-file",
          "jwks-url",
          "algorithms",
          "clock-skew",
          "issuer",
          "audience",
          "user-claim",
          "tier-claim",
          "on-invalid");

  /** The verifier and what to do with a token that fails. */
  record Tokens(TokenVerifier verifier, InvalidTokenAction onInvalid) {}

  private JwtSettings() {}

  static Tokens read(ConfigTable jwt, Map<String, String> env, Path base) {
    jwt.onlyKeys(KEYS);
    JwtVerifier.Builder b = JwtVerifier.builder();
    List<String> sources = new ArrayList<>();
    for (String key : List.of("secret-env", "hmac-secret", "public-key-file", "jwks-url")) {
      if (jwt.has(key)) {
        sources.add(key);
      }
    }
    if (sources.size() != 1) {
      throw new RateLimitConfigException(
          "jwt: set exactly one of secret-env, hmac-secret (HMAC), public-key-file (RSA or EC)"
              + " or jwks-url, was "
              + (sources.isEmpty() ? "none" : String.join(" and ", sources)));
    }
    switch (sources.get(0)) {
      case "secret-env" -> {
        String name = jwt.text("secret-env");
        String value = env.get(name);
        if (value == null || value.isEmpty()) {
          throw new RateLimitConfigException(
              "jwt.secret-env names " + name + ", which is not set in the environment");
        }
        b.hmacSecret(value.getBytes(StandardCharsets.UTF_8));
      }
      case "hmac-secret" -> b.hmacSecret(jwt.text("hmac-secret").getBytes(StandardCharsets.UTF_8));
      case "public-key-file" ->
          b.publicKey(PemKeys.read(base.resolve(jwt.text("public-key-file"))));
      default -> {
        String url = jwt.text("jwks-url");
        try {
          b.jwks(URI.create(url));
        } catch (IllegalArgumentException e) {
          throw new RateLimitConfigException("jwt.jwks-url must be a URL, was \"" + url + "\"", e);
        }
      }
    }
    if (jwt.has("algorithms")) {
      List<String> names = jwt.texts("algorithms");
      if (names.isEmpty()) {
        throw jwt.error("algorithms", "must be a non-empty list such as [\"RS256\"]", names);
      }
      b.algorithms(names.toArray(String[]::new));
    }
    if (jwt.has("clock-skew")) {
      b.clockSkew(jwt.duration("clock-skew"));
    }
    if (jwt.has("issuer")) {
      b.issuer(jwt.text("issuer"));
    }
    if (jwt.has("audience")) {
      b.audience(jwt.text("audience"));
    }
    if (jwt.has("user-claim")) {
      b.userClaim(jwt.text("user-claim"));
    }
    if (jwt.has("tier-claim")) {
      b.tierClaim(jwt.text("tier-claim"));
    }
    InvalidTokenAction onInvalid =
        jwt.choice("on-invalid", "anonymous", "anonymous", "reject").equals("reject")
            ? InvalidTokenAction.REJECT
            : InvalidTokenAction.ANONYMOUS;
    return new Tokens(b.build(), onInvalid);
  }
}
