package dev.sluice.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.http.InvalidTokenAction;
import dev.sluice.http.JwtVerifier;
import dev.sluice.http.TokenVerifier;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.time.Durations;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code [jwt]} table: how bearer tokens are verified before their user and tier count.
 * The HMAC secret is read from an environment variable ({@code secret-env}), never from the file.
 */
final class JwtSettings {
  private static final Set<String> KEYS =
      Set.of(
          "secret-env",
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

  static Tokens read(JsonNode jwt, Map<String, String> env) {
    for (Iterator<String> it = jwt.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new RateLimitConfigException(
            "jwt." + key + " is not a known key (known: " + String.join(", ", KEYS) + ")");
      }
    }
    JwtVerifier.Builder b = JwtVerifier.builder();
    boolean secret = jwt.has("secret-env");
    boolean jwks = jwt.has("jwks-url");
    if (secret == jwks) {
      throw new RateLimitConfigException(
          "jwt: set one of secret-env (HMAC) or jwks-url, was " + (secret ? "both" : "neither"));
    }
    if (secret) {
      String name = text(jwt, "secret-env");
      String value = env.get(name);
      if (value == null || value.isEmpty()) {
        throw new RateLimitConfigException(
            "jwt.secret-env names " + name + ", which is not set in the environment");
      }
      b.hmacSecret(value.getBytes(StandardCharsets.UTF_8));
    } else {
      String url = text(jwt, "jwks-url");
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw new RateLimitConfigException("jwt.jwks-url must be a URL, was \"" + url + "\"", e);
      }
      b.jwks(uri);
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
