package dev.sluice.http;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Real signed tokens for the tests. */
final class Tokens {
  static final String ISSUER = "https://id.example.com/";
  static final String AUDIENCE = "orders-api";

  private Tokens() {}

  static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  static JWTClaimsSet.Builder claims(Instant now, String user, String tier) {
    return new JWTClaimsSet.Builder()
        .subject(user)
        .claim("tier", tier)
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofHours(1))));
  }

  static String rs256(KeyPair keys, String kid, JWTClaimsSet claims) throws Exception {
    return sign(
        new RSASSASigner((RSAPrivateKey) keys.getPrivate()), JWSAlgorithm.RS256, kid, claims);
  }

  static String hs256(byte[] secret, JWTClaimsSet claims) throws Exception {
    return sign(new MACSigner(secret), JWSAlgorithm.HS256, null, claims);
  }

  static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims)
      throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).keyID(kid).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  /** An unsigned token ({@code alg: none}) with the given claims. */
  static String none(JWTClaimsSet claims) {
    return Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + Base64URL.encode(claims.toString().getBytes(StandardCharsets.UTF_8))
        + ".";
  }
}
