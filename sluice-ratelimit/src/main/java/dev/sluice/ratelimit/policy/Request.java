package dev.sluice.ratelimit.policy;

import java.util.Objects;

/**
 * What the policy needs to know about one request: method and path, the client's address, and the
 * authenticated user and tier if there is one. The HTTP layer extracts these (trusted proxies,
 * tokens); the policy never parses headers.
 *
 * @param method the HTTP method, such as {@code GET}
 * @param path the request path, with or without a query string
 * @param clientAddress the client's IP address literal
 * @param userId the authenticated user, or null for an anonymous request
 * @param tier the user's tier (for example from a token claim), or null for the policy's default
 */
public record Request(
    String method, String path, String clientAddress, String userId, String tier) {
  /**
   * Checks the required parts.
   *
   * @throws NullPointerException if method, path or client address is null
   */
  public Request {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(clientAddress, "clientAddress");
  }

  /**
   * A request without an authenticated user, identified by its address.
   *
   * @param method the HTTP method
   * @param path the request path
   * @param clientAddress the client's address literal
   * @return the request
   */
  public static Request anonymous(String method, String path, String clientAddress) {
    return new Request(method, path, clientAddress, null, null);
  }

  /**
   * A request of an authenticated user, identified by the user id.
   *
   * @param method the HTTP method
   * @param path the request path
   * @param clientAddress the client's address literal
   * @param userId the user
   * @param tier the user's tier, or null for the policy's default tier
   * @return the request
   */
  public static Request authenticated(
      String method, String path, String clientAddress, String userId, String tier) {
    return new Request(method, path, clientAddress, Objects.requireNonNull(userId, "userId"), tier);
  }

  /**
   * The key a client is counted under: {@code user:<id>} when authenticated, else {@code
   * ip:<address>}.
   *
   * @return the identity key
   */
  public String identity() {
    return userId != null ? "user:" + userId : "ip:" + clientAddress;
  }
}
