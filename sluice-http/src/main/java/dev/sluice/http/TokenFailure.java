package dev.sluice.http;

/** Why a presented bearer token was not believed. */
public enum TokenFailure {
  /** Not a compact JWS, or its header or claims do not parse. */
  MALFORMED,
  /** More than one {@code Authorization} line. */
  DUPLICATE_AUTHORIZATION,
  /** The {@code Authorization} header is longer than allowed. */
  OVERSIZED,
  /** The {@code alg} is not in the allow-list (including {@code none}). */
  ALGORITHM_NOT_ALLOWED,
  /** No configured key fits the token's {@code kid} and algorithm. */
  UNKNOWN_KEY,
  /** The signature does not verify. */
  BAD_SIGNATURE,
  /** {@code exp} has passed (beyond the allowed skew), or is missing. */
  EXPIRED,
  /** {@code nbf} lies in the future (beyond the allowed skew). */
  NOT_YET_VALID,
  /** {@code iss} is not the expected issuer. */
  WRONG_ISSUER,
  /** {@code aud} does not name the expected audience. */
  WRONG_AUDIENCE,
  /** The user claim is missing or not a string. */
  MISSING_USER
}
