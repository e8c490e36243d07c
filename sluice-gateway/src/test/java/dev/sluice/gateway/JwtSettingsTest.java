package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sluice.http.TokenResult;
import dev.sluice.ratelimit.RateLimitConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code [jwt]} key sources: a PEM public key file (RSA, EC), an inline secret, errors. */
class JwtSettingsTest {
  @TempDir Path dir;

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static String claims(JWSAlgorithm alg, com.nimbusds.jose.JWSSigner signer)
      throws Exception {
    Instant now = Instant.now();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader(alg),
            new JWTClaimsSet.Builder()
                .subject("ann")
                .claim("tier", "premium")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .build());
    jwt.sign(signer);
    return "Bearer " + jwt.serialize();
  }

  private GatewayConfig load(String jwtTable) throws Exception {
    Path file = dir.resolve("gateway.toml");
    Files.writeString(file, "[gateway]\nupstream = \"http://x\"\n[jwt]\n" + jwtTable);
    return GatewayConfigLoader.load(file, Map.of());
  }

  @Test
  void anRsaPublicKeyFileRelativeToTheConfigVerifiesRs256Tokens() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    Files.writeString(dir.resolve("jwt.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));

    GatewayConfig config = load("public-key-file = \"jwt.pem\"\nalgorithms = [\"RS256\"]\n");
    TokenResult result =
        config
            .tokens()
            .verify(List.of(claims(JWSAlgorithm.RS256, new RSASSASigner(pair.getPrivate()))));

    assertThat(result.verified()).isTrue();
    assertThat(result.userId()).isEqualTo("ann");
    assertThat(result.tier()).isEqualTo("premium");
  }

  @Test
  void anEcPublicKeyFileVerifiesEs256Tokens() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    Path key = dir.resolve("ec.pem");
    Files.writeString(key, pem("PUBLIC KEY", pair.getPublic().getEncoded()));

    GatewayConfig config = load("public-key-file = \"" + key + "\"\nalgorithms = [\"ES256\"]\n");
    TokenResult result =
        config
            .tokens()
            .verify(
                List.of(
                    claims(JWSAlgorithm.ES256, new ECDSASigner((ECPrivateKey) pair.getPrivate()))));

    assertThat(result.verified()).isTrue();
  }

  @Test
  void aKeyFileThatIsMissingOrNotAPublicKeyIsNamed() throws Exception {
    assertThatThrownBy(() -> load("public-key-file = \"absent.pem\"\n"))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessageStartingWith("jwt.public-key-file cannot be read")
        .hasMessageContaining("absent.pem");
    Files.writeString(dir.resolve("private.pem"), pem("PRIVATE KEY", new byte[] {1, 2, 3}));
    assertThatThrownBy(() -> load("public-key-file = \"private.pem\"\n"))
        .hasMessageStartingWith("jwt.public-key-file must hold a PEM RSA or EC PUBLIC KEY")
        .hasMessageContaining("a PRIVATE KEY block");
    Files.writeString(dir.resolve("junk.pem"), "not a key at all");
    assertThatThrownBy(() -> load("public-key-file = \"junk.pem\"\n"))
        .hasMessageContaining("found no PEM block");
  }

  @Test
  void exactlyOneKeySourceIsAllowed() {
    assertThatThrownBy(() -> load("issuer = \"x\"\n"))
        .hasMessageStartingWith("jwt: set exactly one of secret-env, hmac-secret")
        .hasMessageEndingWith("was none");
    assertThatThrownBy(
            () ->
                load(
                    "hmac-secret = \"0123456789abcdef0123456789abcdef\"\njwks-url = \"http://k\"\n"))
        .hasMessageEndingWith("was hmac-secret and jwks-url");
  }
}
