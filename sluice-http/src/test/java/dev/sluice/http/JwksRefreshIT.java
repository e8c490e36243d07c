package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.sluice.time.ManualTimeSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A JWKS document served by a real Jetty: fetched once, served from the cache, fetched again for an
 * unknown key id at most once per 30 seconds (driven by a manual clock, never by sleeping), and a
 * key rotation.
 */
class JwksRefreshIT {
  private final ManualTimeSource time = new ManualTimeSource();
  private final AtomicReference<String> document = new AtomicReference<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private KeyPair first;
  private KeyPair second;
  private Servers keyServer;
  private JwtVerifier verifier;

  @BeforeEach
  void start() throws Exception {
    first = Tokens.rsa();
    second = Tokens.rsa();
    publish(jwk(first, "k1"));
    keyServer =
        Servers.serving(
            new Handler.Abstract() {
              @Override
              public boolean handle(Request request, Response response, Callback callback) {
                fetches.incrementAndGet();
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(
                    true,
                    ByteBuffer.wrap(document.get().getBytes(StandardCharsets.UTF_8)),
                    callback);
                return true;
              }
            });
    verifier =
        JwtVerifier.builder()
            .jwks(keyServer.uri("/.well-known/jwks.json"))
            .issuer(Tokens.ISSUER)
            .audience(Tokens.AUDIENCE)
            .timeSource(time)
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    keyServer.close();
  }

  private static JWK jwk(KeyPair keys, String kid) {
    return new RSAKey.Builder((RSAPublicKey) keys.getPublic()).keyID(kid).build();
  }

  private void publish(JWK... keys) {
    document.set(new JWKSet(List.of(keys)).toString());
  }

  private TokenResult present(KeyPair keys, String kid, String user) throws Exception {
    String token = Tokens.rs256(keys, kid, Tokens.claims(time.now(), user, "premium").build());
    return verifier.verify(List.of("Bearer " + token));
  }

  @Test
  void firstFetchThenCacheHits() throws Exception {
    assertThat(fetches).hasValue(0);
    assertThat(present(first, "k1", "alice").userId()).isEqualTo("alice");
    assertThat(fetches).hasValue(1);
    for (int i = 0; i < 20; i++) {
      assertThat(present(first, "k1", "alice").verified()).isTrue();
      time.advance(Duration.ofSeconds(10));
    }
    assertThat(fetches).as("200 s of known key ids: no fetch").hasValue(1);
  }

  @Test
  void anUnknownKeyIdFetchesAgainAtMostOncePer30Seconds() throws Exception {
    assertThat(present(first, "k1", "alice").verified()).isTrue();
    assertThat(fetches).hasValue(1);
    time.advance(Duration.ofSeconds(30));
    assertThat(present(second, "made-up", "mallory").failure()).isEqualTo(TokenFailure.UNKNOWN_KEY);
    assertThat(fetches).as("one refetch for the unknown kid").hasValue(2);
    for (int i = 0; i < 100; i++) {
      present(second, "made-up-" + i, "mallory");
    }
    time.advance(Duration.ofSeconds(29));
    present(second, "made-up", "mallory");
    assertThat(fetches).as("a flood of unknown kids within 30 s").hasValue(2);
    time.advance(Duration.ofSeconds(1));
    present(second, "made-up", "mallory");
    assertThat(fetches).as("30 s after the last fetch").hasValue(3);
    assertThat(verifier.failures()).containsKey(TokenFailure.UNKNOWN_KEY);
    assertThat(present(first, "k1", "alice").verified()).as("known keys still work").isTrue();
    assertThat(fetches).hasValue(3);
  }

  @Test
  void keyRotation() throws Exception {
    assertThat(present(first, "k1", "alice").verified()).isTrue();
    // the identity provider adds k2 and starts signing with it
    publish(jwk(first, "k1"), jwk(second, "k2"));
    time.advance(Duration.ofSeconds(30));
    assertThat(present(second, "k2", "bob").userId()).isEqualTo("bob");
    assertThat(fetches).hasValue(2);
    assertThat(present(first, "k1", "alice").verified()).as("k1 still published").isTrue();
    // then retires k1
    publish(jwk(second, "k2"));
    time.advance(Duration.ofMinutes(10).plusSeconds(1));
    assertThat(present(second, "k2", "bob").verified()).isTrue();
    assertThat(fetches).as("a document older than 10 minutes is fetched again").hasValue(3);
    assertThat(present(first, "k1", "alice").failure()).isEqualTo(TokenFailure.UNKNOWN_KEY);
    assertThat(fetches).as("retired key within 30 s of the fetch: no refetch").hasValue(3);
  }

  @Test
  void aKeyServerThatFailsKeepsTheKeysHeld() throws Exception {
    assertThat(present(first, "k1", "alice").verified()).isTrue();
    document.set("not a JWKS document");
    time.advance(Duration.ofMinutes(11));
    assertThat(present(first, "k1", "alice").verified()).isTrue();
    assertThat(fetches).hasValue(2);
  }
}
