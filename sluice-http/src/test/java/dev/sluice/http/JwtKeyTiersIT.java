package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSASigner;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.policy.Policy;
import dev.sluice.ratelimit.policy.Tier;
import dev.sluice.time.ManualTimeSource;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HS256 and ES256 tokens reach their tier through a real server; a short HMAC secret is refused.
 */
class JwtKeyTiersIT {
  private static final byte[] SECRET =
      "a-shared-secret-of-32-bytes-ok!!".getBytes(StandardCharsets.US_ASCII);

  private final ManualTimeSource time = new ManualTimeSource();

  private HttpRateLimiter limiter(JwtVerifier verifier) {
    Policy policy =
        Policy.builder()
            .tier(new Tier("anonymous", List.of(Limit.of("anonymous", 100, Duration.ofMinutes(1)))))
            .tier(new Tier("standard", List.of(Limit.of("standard", 1000, Duration.ofMinutes(1)))))
            .tier(new Tier("premium", List.of(Limit.of("premium", 5000, Duration.ofMinutes(1)))))
            .build();
    return HttpRateLimiter.builder(policy)
        .limiter(RateLimiter.builder().timeSource(time).build())
        .tokens(verifier)
        .build();
  }

  private static String limitOf(Servers server, String token) throws Exception {
    return server
        .get("/api", "Authorization", "Bearer " + token)
        .headers()
        .firstValue("X-RateLimit-Limit")
        .orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void hs256TokensReachTheirTier(Adapter adapter) throws Exception {
    assertThat(SECRET).hasSize(32);
    JwtVerifier verifier = JwtVerifier.builder().hmacSecret(SECRET).timeSource(time).build();
    try (Servers server = adapter.start(limiter(verifier))) {
      assertThat(
              limitOf(
                  server, Tokens.hs256(SECRET, Tokens.claims(time.now(), "a", "premium").build())))
          .isEqualTo("5000");
      assertThat(
              limitOf(
                  server, Tokens.hs256(SECRET, Tokens.claims(time.now(), "b", "standard").build())))
          .isEqualTo("1000");
      byte[] other = "another-secret-of-32-bytes-long!".getBytes(StandardCharsets.US_ASCII);
      assertThat(
              limitOf(
                  server, Tokens.hs256(other, Tokens.claims(time.now(), "c", "premium").build())))
          .as("signed with another secret")
          .isEqualTo("100");
    }
    assertThat(verifier.failures()).containsOnlyKeys(TokenFailure.BAD_SIGNATURE);
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void es256TokensReachTheirTier(Adapter adapter) throws Exception {
    KeyPair keys = ec();
    JwtVerifier verifier =
        JwtVerifier.builder().publicKey(keys.getPublic()).timeSource(time).build();
    ECDSASigner signer = new ECDSASigner((ECPrivateKey) keys.getPrivate());
    try (Servers server = adapter.start(limiter(verifier))) {
      String premium =
          Tokens.sign(
              signer, JWSAlgorithm.ES256, null, Tokens.claims(time.now(), "a", "premium").build());
      String standard =
          Tokens.sign(
              signer, JWSAlgorithm.ES256, null, Tokens.claims(time.now(), "b", "standard").build());
      String forged =
          Tokens.sign(
              new ECDSASigner((ECPrivateKey) ec().getPrivate()),
              JWSAlgorithm.ES256,
              null,
              Tokens.claims(time.now(), "c", "premium").build());
      assertThat(limitOf(server, premium)).isEqualTo("5000");
      assertThat(limitOf(server, standard)).isEqualTo("1000");
      assertThat(limitOf(server, forged)).as("signed with another EC key").isEqualTo("100");
    }
    assertThat(verifier.failures()).containsOnlyKeys(TokenFailure.BAD_SIGNATURE);
  }

  @Test
  void aSecretShorterThan32BytesIsAConfigurationError() {
    assertThatThrownBy(() -> JwtVerifier.builder().hmacSecret(new byte[31]))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessage("jwt.secret must be >= 32 bytes (256 bits), was 31");
  }

  private static KeyPair ec() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }
}
