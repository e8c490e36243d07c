package dev.sluice.http;

import org.jspecify.annotations.Nullable;

/**
 * The result of checking a request's bearer token.
 *
 * @param userId the verified user, or null
 * @param tier the verified tier claim, or null
 * @param failure why a presented token was refused, or null (verified, or no token at all)
 */
public record TokenResult(
    @Nullable String userId, @Nullable String tier, @Nullable TokenFailure failure) {
  /** No bearer token was presented. */
  public static final TokenResult ABSENT = new TokenResult(null, null, null);

  /**
   * A refused token.
   *
   * @param failure the reason
   * @return the result
   */
  public static TokenResult failed(TokenFailure failure) {
    return new TokenResult(null, null, failure);
  }

  /**
   * Whether a user was verified.
   *
   * @return true if {@link #userId()} is set
   */
  public boolean verified() {
    return userId != null;
  }
}
