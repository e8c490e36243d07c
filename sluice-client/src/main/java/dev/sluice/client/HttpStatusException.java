package dev.sluice.client;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A response whose status says the server could not serve the call now: 429 and 5xx by default. The
 * {@link GentleHttpClient} raises it inside its policies, so the throttle slows down, the breaker
 * counts a failure and the retry policy tries again (at the earliest after {@link #retryAfter()});
 * once the policies give up, the client returns the last response as it came instead of throwing
 * this. It is an {@link IOException}, so a retry policy built with {@code
 * retryOn(IOException.class)} retries it as it retries a lost connection.
 */
public final class HttpStatusException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient HttpResponse<?> response;
  private final @Nullable Duration retryAfter;

  /**
   * Creates the exception.
   *
   * @param response the response
   * @param retryAfter how long the server asked to wait, or {@code null}
   */
  public HttpStatusException(HttpResponse<?> response, @Nullable Duration retryAfter) {
    super(
        "HTTP "
            + response.statusCode()
            + " from "
            + response.request().method()
            + " "
            + response.uri());
    this.response = response;
    this.retryAfter = retryAfter;
  }

  /**
   * The response, its body read by the call's body handler.
   *
   * @return the response
   */
  public HttpResponse<?> response() {
    return response;
  }

  /**
   * The status code.
   *
   * @return the response's status
   */
  public int statusCode() {
    return response.statusCode();
  }

  /**
   * How long the server asked to wait ({@code Retry-After} in seconds or as an HTTP date).
   *
   * @return the delay, or empty when the response asked for none
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
