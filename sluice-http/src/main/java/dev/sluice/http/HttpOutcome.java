package dev.sluice.http;

import dev.sluice.ratelimit.policy.Request;
import dev.sluice.ratelimit.policy.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * What to do with one request: let it through with these headers, or answer with a complete
 * response (status, headers, body) instead of calling the application.
 */
public final class HttpOutcome {
  private final int status;
  private final @Nullable String[] headers;
  private final @Nullable String contentType;
  private final @Nullable String body;
  private final @Nullable Verdict verdict;
  private final @Nullable Request counted;

  HttpOutcome(
      int status,
      @Nullable String[] headers,
      @Nullable String contentType,
      @Nullable String body,
      @Nullable Verdict verdict,
      @Nullable Request counted) {
    this.status = status;
    this.headers = headers; // name/value pairs; a null name ends them
    this.contentType = contentType;
    this.body = body;
    this.verdict = verdict;
    this.counted = counted;
  }

  /**
   * Whether the application should handle the request.
   *
   * @return true to pass it on (with {@link #forEachHeader} added to its response)
   */
  public boolean proceed() {
    return status == 0;
  }

  /**
   * The status to answer with when refused.
   *
   * @return 429, 401 or 414; 0 when the request proceeds
   */
  public int status() {
    return status;
  }

  /**
   * Calls {@code sink} with each header to set on the response, in order.
   *
   * @param sink receives name and value
   */
  public void forEachHeader(BiConsumer<String, String> sink) {
    for (int i = 0; i < headers.length && headers[i] != null; i += 2) {
      sink.accept(headers[i], headers[i + 1]);
    }
  }

  /**
   * The value of one header of this outcome.
   *
   * @param name the header name, case-insensitive
   * @return the value, or null
   */
  public @Nullable String header(String name) {
    for (int i = 0; i < headers.length && headers[i] != null; i += 2) {
      if (headers[i].equalsIgnoreCase(name)) {
        return headers[i + 1];
      }
    }
    return null;
  }

  /**
   * The body's media type when refused.
   *
   * @return such as {@code application/problem+json}; null when the request proceeds
   */
  public @Nullable String contentType() {
    return contentType;
  }

  /**
   * The body when refused.
   *
   * @return the body in UTF-8; empty when the request proceeds
   */
  public byte[] body() {
    return body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The policy's verdict, when the policy was consulted.
   *
   * @return the verdict, or null (a request refused before the policy, such as a 414)
   */
  public @Nullable Verdict verdict() {
    return verdict;
  }

  /**
   * The key the client was counted under ({@code ip:...} or {@code user:...}).
   *
   * @return the identity key, or null when the policy was not consulted
   */
  public @Nullable String identity() {
    return counted == null ? null : counted.identity(); // built on demand, not per request
  }
}
