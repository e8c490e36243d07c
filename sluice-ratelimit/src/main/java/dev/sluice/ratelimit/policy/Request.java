package dev.sluice.ratelimit.policy;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
 * @param clientKey for an anonymous request, the key it is counted under instead of its address
 *     (such as {@code key:<digest>} for an API key), or null to count it by address
 */
public record Request(
    String method,
    String path,
    String clientAddress,
    @Nullable String userId,
    @Nullable String tier,
    @Nullable String clientKey) {
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
   * A request counted by user when there is one, else by address.
   *
   * @param method the HTTP method
   * @param path the request path
   * @param clientAddress the client's address literal
   * @param userId the authenticated user, or null
   * @param tier the user's tier, or null
   */
  public Request(
      String method,
      String path,
      String clientAddress,
      @Nullable String userId,
      @Nullable String tier) {
    this(method, path, clientAddress, userId, tier, null);
  }

  /**
   * An anonymous request counted under a key of its own instead of its address (an API key's
   * digest, say); its address still decides address exemptions.
   *
   * @param method the HTTP method
   * @param path the request path
   * @param clientAddress the client's address literal
   * @param clientKey the identity key, such as {@code key:<digest>}
   * @return the request
   */
  public static Request keyed(String method, String path, String clientAddress, String clientKey) {
    return new Request(
        method, path, clientAddress, null, null, Objects.requireNonNull(clientKey, "clientKey"));
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
      String method, String path, String clientAddress, String userId, @Nullable String tier) {
    return new Request(method, path, clientAddress, Objects.requireNonNull(userId, "userId"), tier);
  }

  /**
   * The key a client is counted under: {@code user:<id>} when authenticated, else the client key
   * when set, else {@code ip:<address>}.
   *
   * @return the identity key
   */
  public String identity() {
    if (userId != null) {
      return "user:" + userId;
    }
    return clientKey != null ? clientKey : "ip:" + clientAddress;
  }

  /**
   * The store key of this client within a scope: {@code <scope>|<identity>}, built in one step.
   *
   * @param scope the rule id or another scope name
   * @return the key
   */
  String scopedIdentity(String scope) {
    if (userId != null) {
      return scope + "|user:" + userId;
    }
    return clientKey != null ? scope + "|" + clientKey : scope + "|ip:" + clientAddress;
  }
}
