package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.config.TomlConfigLoader;
import dev.sluice.ratelimit.policy.Policy;
import dev.sluice.time.ManualTimeSource;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** API-key header identity through both adapters, from code and from the TOML file. */
class ApiKeyIdentityIT {
  private static final String SECRET = "sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0";

  private final ManualTimeSource time = new ManualTimeSource();
  private final List<DecisionEvent> events = new ArrayList<>();

  private HttpRateLimiter limiter(ClientIdentity identity, long quota) {
    return HttpRateLimiter.builder(
            Policy.builder()
                .defaults(List.of(Limit.of("per-minute", quota, Duration.ofMinutes(1))))
                .build())
        .limiter(RateLimiter.builder().timeSource(time).build())
        .identity(identity)
        .listener(events::add)
        .build();
  }

  private static String remaining(HttpResponse<String> response) {
    return response.headers().firstValue("X-RateLimit-Remaining").orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void aKeyHasItsOwnBudgetApartFromTheAddress(Adapter adapter) throws Exception {
    ClientIdentity identity = ClientIdentity.builder().apiKeyHeader("X-API-Key").build();
    try (Servers server = adapter.start(limiter(identity, 3))) {
      assertThat(server.get("/a", "X-API-Key", SECRET).statusCode()).isEqualTo(200);
      assertThat(server.get("/a", "X-API-Key", SECRET).statusCode()).isEqualTo(200);
      assertThat(server.get("/a", "X-API-Key", SECRET).statusCode()).isEqualTo(200);
      assertThat(server.get("/a", "X-API-Key", SECRET).statusCode()).isEqualTo(429);
      // the same address without the key, and with another key, are other clients
      assertThat(remaining(server.get("/a"))).isEqualTo("2");
      assertThat(remaining(server.get("/a", "x-api-key", "another-key"))).isEqualTo("2");
    }
    String expected = "key:" + ApiKeyIdentity.digest(SECRET).substring(0, 32);
    assertThat(events.get(0).identity()).isEqualTo(expected);
    assertThat(events).allSatisfy(e -> assertThat(e.identity()).doesNotContain(SECRET));
    assertThat(events.get(4).identity()).isEqualTo("ip:127.0.0.1");
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void unusableKeysAreCountedByAddress(Adapter adapter) throws Exception {
    ClientIdentity identity =
        ClientIdentity.builder().apiKeyHeader("X-API-Key").apiKeyMaxLength(64).build();
    try (Servers server = adapter.start(limiter(identity, 100))) {
      assertThat(remaining(server.get("/a", "X-API-Key", "k".repeat(65)))).isEqualTo("99");
      assertThat(remaining(server.get("/a", "X-API-Key", "one", "X-API-Key", "two")))
          .isEqualTo("98");
      assertThat(remaining(server.get("/a", "X-API-Key", "one", "X-API-Key", "one")))
          .isEqualTo("97");
      assertThat(remaining(server.get("/a", "X-API-Key", "k".repeat(64)))).isEqualTo("99");
    }
    assertThat(events.subList(0, 3)).allSatisfy(e -> assertThat(e.identity()).startsWith("ip:"));
    assertThat(events.get(3).identity()).startsWith("key:");
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void withARegistryOnlyKnownKeysAreIdentities(Adapter adapter) throws Exception {
    ClientIdentity identity =
        ClientIdentity.builder()
            .apiKeyHeader("X-API-Key")
            .knownApiKeys(List.of(ApiKeyIdentity.digest(SECRET).toUpperCase()))
            .build();
    try (Servers server = adapter.start(limiter(identity, 100))) {
      assertThat(remaining(server.get("/a", "X-API-Key", "made-up-1"))).isEqualTo("99");
      assertThat(remaining(server.get("/a", "X-API-Key", "made-up-2"))).isEqualTo("98");
      assertThat(remaining(server.get("/a", "X-API-Key", SECRET))).isEqualTo("99");
    }
    assertThat(events.get(1).identity()).isEqualTo("ip:127.0.0.1");
    assertThat(events.get(2).identity()).startsWith("key:");
  }

  @Test
  void aVerifiedUserComesBeforeTheKey() throws Exception {
    byte[] secret = "0123456789abcdef0123456789abcdef".getBytes();
    HttpRateLimiter limiter =
        HttpRateLimiter.builder(
                Policy.builder()
                    .defaults(List.of(Limit.of("per-minute", 10, Duration.ofMinutes(1))))
                    .build())
            .limiter(RateLimiter.builder().timeSource(time).build())
            .identity(ClientIdentity.builder().apiKeyHeader("X-API-Key").build())
            .tokens(JwtVerifier.builder().hmacSecret(secret).timeSource(time).build())
            .listener(events::add)
            .build();
    String token = Tokens.hs256(secret, Tokens.claims(time.now(), "alice", null).build());
    try (Servers server = Servers.withHandler(limiter)) {
      server.get("/a", "X-API-Key", SECRET, "Authorization", "Bearer " + token);
    }
    assertThat(events.get(0).identity()).isEqualTo("user:alice");
  }

  @Test
  void theFilterReadsTheKeyHeaderFromItsTomlFile(@TempDir Path dir) throws Exception {
    Path toml = dir.resolve("ratelimit.toml");
    Files.writeString(
        toml,
        """
        [[defaults.limits]]
        id = "per-minute"
        quota = 2
        window = "1m"

        [http.identity]
        api-key-header = "X-API-Key"
        api-key-max-length = 128
        """);
    try (Servers server = Servers.withFilterConfig(toml)) {
      assertThat(server.get("/a", "X-API-Key", SECRET).statusCode()).isEqualTo(200);
      assertThat(server.get("/a", "X-API-Key", SECRET).statusCode()).isEqualTo(200);
      assertThat(server.get("/a", "X-API-Key", SECRET).statusCode()).isEqualTo(429);
      assertThat(server.get("/a").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void tomlMistakesNameTheKeyAndTheValue() {
    String base =
        """
        [[defaults.limits]]
        id = "per-minute"
        quota = 2
        window = "1m"
        """;
    assertThatThrownBy(
            () ->
                HttpRateLimiter.builder(
                    TomlConfigLoader.parse(
                        base + "[http.identity]\napi-key-header = \"X API Key\"\n", Map.of())))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessageContaining("http.identity.api-key-header")
        .hasMessageContaining("X API Key");
    assertThatThrownBy(
            () ->
                HttpRateLimiter.builder(
                    TomlConfigLoader.parse(
                        base + "[http.identity]\napi-key-header = \"K\"\napi-key-max-length = 0\n",
                        Map.of())))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessageContaining("http.identity.api-key-max-length must be 1-8192, was 0");
    assertThatThrownBy(
            () ->
                HttpRateLimiter.builder(
                    TomlConfigLoader.parse(base + "[http.identity]\napi-key = \"x\"\n", Map.of())))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessageContaining("http.identity.api-key is not a known key");
    assertThatThrownBy(
            () ->
                HttpRateLimiter.builder(
                    TomlConfigLoader.parse(
                        base + "[http.identity]\napi-key-max-length = 64\n", Map.of())))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessageContaining("http.identity.api-key-header must be set");
    assertThatThrownBy(
            () ->
                HttpRateLimiter.builder(
                    TomlConfigLoader.parse(
                        base
                            + "[http.identity]\napi-key-header = \"K\"\napi-keys-sha256 = [\""
                            + SECRET
                            + "\"]\n",
                        Map.of())))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessageContaining("http.identity.api-keys-sha256 must hold SHA-256 digests");
  }

  @Test
  void environmentOverridesReachTheHttpTable() {
    String toml =
        """
        [[defaults.limits]]
        id = "per-minute"
        quota = 2
        window = "1m"

        [http.identity]
        api-key-header = "X-API-Key"
        """;
    var config =
        TomlConfigLoader.parse(
            toml, Map.of("SLUICE_RATELIMIT_HTTP_IDENTITY_API_KEY_HEADER", "X-Client-Key"));
    assertThat(config.http()).containsKey("identity");
    assertThat(((Map<?, ?>) config.http().get("identity")).get("api-key-header"))
        .isEqualTo("X-Client-Key");
  }
}
