package dev.sluice.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.http.InvalidTokenAction;
import dev.sluice.http.JwtVerifier;
import dev.sluice.http.TokenVerifier;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.time.Durations;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
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

  static Tokens read(JsonNode jwt, Map<String, String> env, Path base) {
    for (Iterator<String> it = jwt.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new RateLimitConfigException(
            "jwt." + key + " is not a known key (known: " + String.join(", ", KEYS) + ")");
      }
    }
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
        String name = text(jwt, "secret-env");
        String value = env.get(name);
        if (value == null || value.isEmpty()) {
          throw new RateLimitConfigException(
              "jwt.secret-env names " + name + ", which is not set in the environment");
        }
        b.hmacSecret(value.getBytes(StandardCharsets.UTF_8));
      }
      case "hmac-secret" -> b.hmacSecret(text(jwt, "hmac-secret").getBytes(StandardCharsets.UTF_8));
      case "public-key-file" ->
          b.publicKey(PemKeys.read(base.resolve(text(jwt, "public-key-file"))));
      default -> {
        String url = text(jwt, "jwks-url");
        URI uri;
        try {
          uri = URI.create(url);
        } catch (IllegalArgumentException e) {
          throw new RateLimitConfigException("jwt.jwks-url must be a URL, was \"" + url + "\"", e);
        }
        b.jwks(uri);
      }
    }
    if (jwt.has("algorithms")) {
      JsonNode list = jwt.get("algorithms");
      if (!list.isArray() || list.isEmpty()) {
        throw new RateLimitConfigException(
            "jwt.algorithms must be a non-empty list such as [\"RS256\"], was " + list);
      }
      List<String> names = new ArrayList<>();
      list.forEach(n -> names.add(n.asText()));
      b.algorithms(names.toArray(String[]::new));
    }
    if (jwt.has("clock-skew")) {
      String skew = text(jwt, "clock-skew");
      try {
        b.clockSkew(Durations.parse(skew));
      } catch (IllegalArgumentException e) {
        throw new RateLimitConfigException(
            "jwt.clock-skew must be a duration such as 30s, was \"" + skew + "\"", e);
      }
    }
    if (jwt.has("issuer")) {
      b.issuer(text(jwt, "issuer"));
    }
    if (jwt.has("audience")) {
      b.audience(text(jwt, "audience"));
    }
    if (jwt.has("user-claim")) {
      b.userClaim(text(jwt, "user-claim"));
    }
    if (jwt.has("tier-claim")) {
      b.tierClaim(text(jwt, "tier-claim"));
    }
    InvalidTokenAction onInvalid =
        switch (jwt.has("on-invalid") ? text(jwt, "on-invalid") : "anonymous") {
          case "anonymous" -> InvalidTokenAction.ANONYMOUS;
          case "reject" -> InvalidTokenAction.REJECT;
          default ->
              throw new RateLimitConfigException(
                  "jwt.on-invalid must be anonymous or reject, was \""
                      + jwt.get("on-invalid").asText()
                      + "\"");
        };
    return new Tokens(b.build(), onInvalid);
  }

  private static String text(JsonNode table, String key) {
    JsonNode value = table.get(key);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new RateLimitConfigException(
          "jwt." + key + " must be a non-empty string, was " + value);
    }
    return value.asText();
  }
}
