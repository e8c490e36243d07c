package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tiers from verified tokens through the gateway (spec US3), forged tokens anonymous. */
class GatewayTiersIT {
  private static final String SECRET = "0123456789abcdef0123456789abcdef-gateway";
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Upstream upstream;
  private Gateway gateway;

  @BeforeEach
  void start() throws Exception {
    upstream = new Upstream();
    int port = upstream.port();
    gateway =
        Gateway.of(
                GatewayConfigLoader.parse(
                    """
                    [gateway]
                    listen = "127.0.0.1:0"
                    upstream = "http://127.0.0.1:%d"

                    [admin]
                    listen = "127.0.0.1:0"

                    [jwt]
                    secret-env = "GATEWAY_JWT_SECRET"
                    issuer = "https://id.example.com/"

                    # a day's windows: no permit comes back while the test runs
                    [tiers.anonymous]
                    limits = [{ id = "per-day", quota = 3, window = "1d" }]

                    [tiers.standard]
                    limits = [{ id = "per-day", quota = 5, window = "1d" }]

                    [tiers.premium]
                    limits = [{ id = "per-day", quota = 8, window = "1d" }]
                    """
                        .formatted(port),
                    Map.of("GATEWAY_JWT_SECRET", SECRET)))
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    upstream.close();
  }

  private static String token(String secret, String user, String tier) throws Exception {
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject(user)
            .issuer("https://id.example.com/")
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
            .claim("tier", tier)
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  private int admitted(String authorization, int attempts) throws Exception {
    int ok = 0;
    for (int i = 0; i < attempts; i++) {
      HttpRequest.Builder request = HttpRequest.newBuilder(gateway.publicUri().resolve("/api"));
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      if (client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode()
          == 200) {
        ok++;
      }
    }
    return ok;
  }

  @Test
  void eachTierReachesItsOwnLimitAndAForgedTokenCountsAsAnonymous() throws Exception {
    assertThat(admitted("Bearer " + token(SECRET, "ann", "premium"), 10)).isEqualTo(8);
    assertThat(admitted("Bearer " + token(SECRET, "sam", "standard"), 10)).isEqualTo(5);
    // signed with another key and claiming premium: anonymous, by the client's address
    String forged = token("another-secret-of-at-least-32-bytes!!", "eve", "premium");
    assertThat(admitted("Bearer " + forged, 10)).isEqualTo(3);
    assertThat(admitted(null, 1)).isZero(); // the same address's anonymous budget is spent
  }
}
