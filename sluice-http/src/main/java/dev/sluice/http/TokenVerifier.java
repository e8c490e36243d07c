package dev.sluice.http;

import java.util.List;

/**
 * Verifies the {@code Authorization} lines of a request before any claim is used. {@link
 * JwtVerifier} is the built-in implementation.
 */
@FunctionalInterface
public interface TokenVerifier {
  /**
   * Checks a request's credentials.
   *
   * @param authorization every {@code Authorization} line, in order; empty when absent
   * @return the verified user and tier, {@link TokenResult#ABSENT}, or a failure
   */
  TokenResult verify(List<String> authorization);
}
