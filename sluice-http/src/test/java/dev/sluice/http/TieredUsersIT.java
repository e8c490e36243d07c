package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.policy.Policy;
import dev.sluice.ratelimit.policy.Tier;
import dev.sluice.time.ManualTimeSource;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** User story 3 with real RS256 tokens, and forged tokens that must never rise above anonymous. */
class TieredUsersIT {
  private static final ManualTimeSource TIME = new ManualTimeSource();
  private static KeyPair keys;
  private static JwtVerifier verifier;
  private static Servers server;

  @BeforeAll
  static void start() throws Exception {
    keys = Tokens.rsa();
    Policy policy =
        Policy.builder()
            .tier(new Tier("anonymous", List.of(Limit.of("anonymous", 100, Duration.ofMinutes(1)))))
            .tier(new Tier("standard", List.of(Limit.of("standard", 1000, Duration.ofMinutes(1)))))
            .tier(new Tier("premium", List.of(Limit.of("premium", 5000, Duration.ofMinutes(1)))))
            .build();
    verifier =
        JwtVerifier.builder()
            .publicKey(keys.getPublic())
            .issuer(Tokens.ISSUER)
            .audience(Tokens.AUDIENCE)
            .timeSource(TIME)
            .build();
    HttpRateLimiter limiter =
        HttpRateLimiter.builder(policy)
            .limiter(RateLimiter.builder().timeSource(TIME).build())
            .tokens(verifier)
            .build();
    server = Servers.withHandler(limiter);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static int reachLimit(String... headers) throws Exception {
    int passed = 0;
    while (server.get("/api", headers).statusCode() == 200) {
      passed++;
      assertThat(passed).isLessThanOrEqualTo(6000);
    }
    return passed;
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }

  @Test
  void eachTierReachesExactlyItsLimit() throws Exception {
    assertThat(reachLimit()).isEqualTo(100);
    String standard =
        Tokens.rs256(keys, null, Tokens.claims(TIME.now(), "alice", "standard").build());
    assertThat(reachLimit("Authorization", bearer(standard))).isEqualTo(1000);
    String premium = Tokens.rs256(keys, null, Tokens.claims(TIME.now(), "bob", "premium").build());
    assertThat(reachLimit("Authorization", bearer(premium))).isEqualTo(5000);
    TIME.advance(Duration.ofMinutes(2));
  }

  @Test
  void forgedTokensAreCountedAsAnonymous() throws Exception {
    var now = TIME.now();
    KeyPair other = Tokens.rsa();
    byte[] rsaPublicAsSecret = keys.getPublic().getEncoded();
    Map<String, String> forged =
        Map.of(
            "alg none", Tokens.none(Tokens.claims(now, "mallory", "premium").build()),
            "wrong key",
                Tokens.rs256(other, null, Tokens.claims(now, "mallory", "premium").build()),
            "HS256 with the RSA public key",
                Tokens.sign(
                    new MACSigner(rsaPublicAsSecret),
                    JWSAlgorithm.HS256,
                    null,
                    Tokens.claims(now, "mallory", "premium").build()),
            "expired",
                Tokens.rs256(
                    keys,
                    null,
                    Tokens.claims(now, "mallory", "premium")
                        .expirationTime(java.util.Date.from(now.minus(Duration.ofMinutes(5))))
                        .build()),
            "not yet valid",
                Tokens.rs256(
                    keys,
                    null,
                    Tokens.claims(now, "mallory", "premium")
                        .notBeforeTime(java.util.Date.from(now.plus(Duration.ofMinutes(5))))
                        .build()),
            "wrong issuer",
                Tokens.rs256(
                    keys,
                    null,
                    Tokens.claims(now, "mallory", "premium")
                        .issuer("https://evil.example/")
                        .build()),
            "wrong audience",
                Tokens.rs256(
                    keys,
                    null,
                    Tokens.claims(now, "mallory", "premium").audience("another-api").build()));
    for (Map.Entry<String, String> token : forged.entrySet()) {
      var response = server.get("/api", "Authorization", bearer(token.getValue()));
      assertThat(response.headers().firstValue("X-RateLimit-Limit"))
          .as(token.getKey())
          .hasValue("100");
    }
    assertThat(verifier.failures())
        .containsKeys(
            TokenFailure.MALFORMED, // alg none does not parse as a signed token
            TokenFailure.BAD_SIGNATURE,
            TokenFailure.ALGORITHM_NOT_ALLOWED,
            TokenFailure.EXPIRED,
            TokenFailure.NOT_YET_VALID,
            TokenFailure.WRONG_ISSUER,
            TokenFailure.WRONG_AUDIENCE);
    TIME.advance(Duration.ofMinutes(2));
  }
}
