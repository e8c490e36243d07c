package dev.sluice.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.time.TimeSource;
import java.net.URI;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Verifies {@code Authorization: Bearer} JWTs (nimbus-jose-jwt) before any claim is believed, in
 * this order: one header line of bounded length; a compact JWS whose {@code alg} is on the
 * allow-list ({@code none} never is); a key that fits the algorithm's family and the {@code kid}
 * (an HMAC secret, an RSA or EC public key, or a JWKS URL); the signature; then {@code exp}
 * (required) and {@code nbf} with a bounded skew, the issuer and audience when configured, and the
 * user claim. A token signed with HS256 using an RSA public key as the secret fails: HMAC
 * algorithms only ever meet the configured secret.
 *
 * <pre>{@code
 * JwtVerifier jwt = JwtVerifier.builder()
 *     .jwks(URI.create("https://id.example.com/.well-known/jwks.json"))
 *     .issuer("https://id.example.com/").audience("orders-api")
 *     .tierClaim("plan")
 *     .build();
 * }</pre>
 *
 * <p>Every failure is counted by reason ({@link #failures()}) and logged once per reason.
 */
public final class JwtVerifier implements TokenVerifier {
  /** The longest {@code Authorization} header looked at; longer ones fail as oversized. */
  public static final int MAX_HEADER_LENGTH = 8192;

  private final byte @Nullable [] secret;
  private final @Nullable PublicKey publicKey;
  private final @Nullable JwksCache jwks;
  private final Set<JWSAlgorithm> algorithms;
  private final long skewSeconds;
  private final @Nullable String issuer;
  private final @Nullable String audience;
  private final String userClaim;
  private final @Nullable String tierClaim;
  private final TimeSource time;
  private final TokenFailures failures = new TokenFailures();

  private JwtVerifier(Builder b) {
    this.secret = b.secret;
    this.publicKey = b.publicKey;
    this.time = b.time;
    this.jwks =
        b.jwks == null ? null : new JwksCache(b.jwks, b.time, b.jwksMaxAge, b.jwksMinInterval);
    this.algorithms = Set.copyOf(b.algorithms.isEmpty() ? defaults() : b.algorithms);
    this.skewSeconds = b.skew.toSeconds();
    this.issuer = b.issuer;
    this.audience = b.audience;
    this.userClaim = b.userClaim;
    this.tierClaim = b.tierClaim;
  }

  /**
   * Starts a verifier.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  private Set<JWSAlgorithm> defaults() {
    Set<JWSAlgorithm> out = new LinkedHashSet<>();
    if (secret != null) {
      out.addAll(JWSAlgorithm.Family.HMAC_SHA);
    }
    if (publicKey instanceof RSAPublicKey || jwks != null) {
      out.addAll(JWSAlgorithm.Family.RSA);
    }
    if (publicKey instanceof ECPublicKey || jwks != null) {
      out.addAll(JWSAlgorithm.Family.EC);
    }
    return out;
  }

  /**
   * Whether verifying may fetch a key set over the network (a JWKS URL is configured): such a
   * verification can wait up to the fetch's timeout, so it must not run on a thread that may not
   * block.
   *
   * @return true when keys come from a JWKS URL
   */
  public boolean fetchesKeys() {
    return jwks != null;
  }

  /**
   * Failures so far, by reason.
   *
   * @return the counts of the reasons seen
   */
  public Map<TokenFailure, Long> failures() {
    return failures.counts();
  }

  @Override
  public TokenResult verify(List<String> authorization) {
    if (authorization.isEmpty()) {
      return TokenResult.ABSENT;
    }
    if (authorization.size() > 1) {
      return failures.record(TokenFailure.DUPLICATE_AUTHORIZATION);
    }
    String line = authorization.get(0);
    if (line.length() > MAX_HEADER_LENGTH) {
      return failures.record(TokenFailure.OVERSIZED);
    }
    if (line.length() < 7 || !line.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return TokenResult.ABSENT; // another scheme: not ours to judge
    }
    TokenFailure failure;
    TokenResult result;
    try {
      result = check(SignedJWT.parse(line.substring(7).trim()));
      failure = result.failure();
    } catch (ParseException | RuntimeException e) {
      failure = TokenFailure.MALFORMED;
      result = null;
    }
    return failure != null ? failures.record(failure) : result;
  }

  private TokenResult check(SignedJWT jws) throws ParseException {
    JWSHeader header = jws.getHeader();
    JWSAlgorithm alg = header.getAlgorithm();
    if (!algorithms.contains(alg)) {
      return TokenResult.failed(TokenFailure.ALGORITHM_NOT_ALLOWED);
    }
    if (header.getType() != null) {
      String typ = header.getType().getType().toLowerCase(Locale.ROOT);
      if (!typ.equals("jwt") && !typ.equals("at+jwt") && !typ.equals("application/at+jwt")) {
        return TokenResult.failed(TokenFailure.MALFORMED);
      }
    }
    List<JWSVerifier> verifiers = verifiers(alg, header.getKeyID());
    if (verifiers.isEmpty()) {
      return TokenResult.failed(TokenFailure.UNKNOWN_KEY);
    }
    boolean valid = false;
    for (JWSVerifier verifier : verifiers) {
      try {
        if (jws.verify(verifier)) {
          valid = true;
          break;
        }
      } catch (JOSEException | IllegalStateException e) {
        // a key that cannot verify this token is no match
      }
    }
    if (!valid) {
      return TokenResult.failed(TokenFailure.BAD_SIGNATURE);
    }
    return claims(jws.getJWTClaimsSet());
  }

  private TokenResult claims(JWTClaimsSet claims) {
    Instant now = time.now();
    Date exp = claims.getExpirationTime();
    if (exp == null || now.getEpochSecond() > exp.toInstant().getEpochSecond() + skewSeconds) {
      return TokenResult.failed(TokenFailure.EXPIRED);
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.getEpochSecond() + skewSeconds < nbf.toInstant().getEpochSecond()) {
      return TokenResult.failed(TokenFailure.NOT_YET_VALID);
    }
    if (issuer != null && !issuer.equals(claims.getIssuer())) {
      return TokenResult.failed(TokenFailure.WRONG_ISSUER);
    }
    if (audience != null
        && (claims.getAudience() == null || !claims.getAudience().contains(audience))) {
      return TokenResult.failed(TokenFailure.WRONG_AUDIENCE);
    }
    Object user = claims.getClaim(userClaim);
    if (!(user instanceof String id) || id.isEmpty()) {
      return TokenResult.failed(TokenFailure.MISSING_USER);
    }
    Object tier = tierClaim == null ? null : claims.getClaim(tierClaim);
    return new TokenResult(id, tier instanceof String t ? t : null, null);
  }

  private List<JWSVerifier> verifiers(JWSAlgorithm alg, String kid) {
    List<JWSVerifier> out = new ArrayList<>();
    try {
      if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
        if (secret != null) {
          out.add(new MACVerifier(secret));
        }
        return out; // never a public key or a JWKS entry as an HMAC secret
      }
      boolean rsa = JWSAlgorithm.Family.RSA.contains(alg);
      if (rsa && publicKey instanceof RSAPublicKey key) {
        out.add(new RSASSAVerifier(key));
      } else if (!rsa && publicKey instanceof ECPublicKey key) {
        out.add(new ECDSAVerifier(key));
      }
      if (jwks != null) {
        for (JWK jwk : jwks.keysFor(kid)) {
          if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().equals(alg)) {
            continue;
          }
          if (rsa && jwk instanceof RSAKey key) {
            out.add(new RSASSAVerifier(key.toRSAPublicKey()));
          } else if (!rsa && jwk instanceof ECKey key) {
            out.add(new ECDSAVerifier(key.toECPublicKey()));
          }
        }
      }
    } catch (JOSEException e) {
      // an unusable key (a short secret is refused at build time) verifies nothing
    }
    return out;
  }

  /** Collects verifier settings; at least one key source is required. */
  public static final class Builder {
    private byte @Nullable [] secret;
    private @Nullable PublicKey publicKey;
    private @Nullable URI jwks;
    private Duration jwksMaxAge = Duration.ofMinutes(10);
    private Duration jwksMinInterval = Duration.ofSeconds(30);
    private final Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
    private Duration skew = Duration.ofSeconds(30);
    private @Nullable String issuer;
    private @Nullable String audience;
    private String userClaim = "sub";
    private @Nullable String tierClaim = "tier";
    private TimeSource time = TimeSource.system();

    private Builder() {}

    /**
     * Verifies HMAC-signed tokens (HS256/384/512) with a shared secret.
     *
     * @param secret at least 32 bytes (256 bits)
     * @return this builder
     * @throws RateLimitConfigException if the secret is shorter
     */
    public Builder hmacSecret(byte[] secret) {
      if (secret.length < 32) {
        throw new RateLimitConfigException(
            "jwt.secret must be >= 32 bytes (256 bits), was " + secret.length);
      }
      this.secret = secret.clone();
      return this;
    }

    /**
     * Verifies RSA (RS*, PS*) or EC (ES*) signed tokens with one public key.
     *
     * @param key an RSA or EC public key
     * @return this builder
     * @throws RateLimitConfigException if the key is neither
     */
    public Builder publicKey(PublicKey key) {
      if (!(key instanceof RSAPublicKey) && !(key instanceof ECPublicKey)) {
        throw new RateLimitConfigException(
            "jwt.public-key must be an RSA or EC public key, was " + key.getAlgorithm());
      }
      this.publicKey = key;
      return this;
    }

    /**
     * Verifies with the keys of a JWKS document, cached and fetched again when older than {@code
     * maxAge} (10 minutes by default) or when a token names an unknown key id, at most once per
     * {@code minInterval} (30 seconds by default, see {@link #jwksRefresh}).
     *
     * @param uri the JWKS URL
     * @return this builder
     */
    public Builder jwks(URI uri) {
      this.jwks = Objects.requireNonNull(uri, "uri");
      return this;
    }

    /**
     * Sets how long fetched keys are used, and the least time between two fetches.
     *
     * @param maxAge the most a JWKS document is used before it is fetched again
     * @param minInterval the least time between fetches, however many unknown key ids arrive
     * @return this builder
     */
    public Builder jwksRefresh(Duration maxAge, Duration minInterval) {
      this.jwksMaxAge = Objects.requireNonNull(maxAge, "maxAge");
      this.jwksMinInterval = Objects.requireNonNull(minInterval, "minInterval");
      return this;
    }

    /**
     * Restricts the accepted algorithms; by default every algorithm of the configured keys' family.
     *
     * @param names such as {@code RS256}; {@code none} is refused
     * @return this builder
     * @throws RateLimitConfigException if a name is not a JWS signature algorithm
     */
    public Builder algorithms(String... names) {
      algorithms.clear();
      for (String name : names) {
        JWSAlgorithm alg = JWSAlgorithm.parse(name);
        if (!JWSAlgorithm.Family.SIGNATURE.contains(alg)
            && !JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
          throw new RateLimitConfigException(
              "jwt.algorithms must name JWS signature algorithms, was " + name);
        }
        algorithms.add(alg);
      }
      return this;
    }

    /**
     * Sets the clock skew allowed on {@code exp} and {@code nbf}; 30 seconds by default.
     *
     * @param skew 0 to 5 minutes
     * @return this builder
     * @throws RateLimitConfigException if out of range
     */
    public Builder clockSkew(Duration skew) {
      if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new RateLimitConfigException("jwt.clock-skew must be 0s-5m, was " + skew);
      }
      this.skew = skew;
      return this;
    }

    /**
     * Requires this exact {@code iss}.
     *
     * @param issuer the issuer
     * @return this builder
     */
    public Builder issuer(@Nullable String issuer) {
      this.issuer = issuer;
      return this;
    }

    /**
     * Requires {@code aud} to contain this audience.
     *
     * @param audience the audience
     * @return this builder
     */
    public Builder audience(@Nullable String audience) {
      this.audience = audience;
      return this;
    }

    /**
     * Names the claim holding the user id; {@code sub} by default.
     *
     * @param claim the claim name
     * @return this builder
     */
    public Builder userClaim(String claim) {
      this.userClaim = Objects.requireNonNull(claim, "claim");
      return this;
    }

    /**
     * Names the claim holding the tier; {@code tier} by default, null for none.
     *
     * @param claim the claim name
     * @return this builder
     */
    public Builder tierClaim(@Nullable String claim) {
      this.tierClaim = claim;
      return this;
    }

    /**
     * Sets the time source for {@code exp}, {@code nbf} and JWKS refreshes; system time by default.
     *
     * @param time the time source
     * @return this builder
     */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the verifier
     * @throws RateLimitConfigException if no key source is configured
     */
    public JwtVerifier build() {
      if (secret == null && publicKey == null && jwks == null) {
        throw new RateLimitConfigException(
            "jwt must set a secret, a public key or a JWKS URL, was none of them");
      }
      return new JwtVerifier(this);
    }
  }
}
