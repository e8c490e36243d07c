package dev.sluice.client;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * The OkHttp twin of {@link HttpStatusException}: a response whose status is a failure, raised
 * inside the {@link GentleInterceptor}'s policies and never seen by the caller, who gets the last
 * response once they give up.
 */
public final class OkHttpStatusException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Response response;
  private final @Nullable Duration retryAfter;

  /**
   * Creates the exception.
   *
   * @param response the response, its body unread
   * @param retryAfter how long the server asked to wait, or {@code null}
   */
  public OkHttpStatusException(Response response, @Nullable Duration retryAfter) {
    super(
        "HTTP "
            + response.code()
            + " from "
            + response.request().method()
            + " "
            + response.request().url());
    this.response = response;
    this.retryAfter = retryAfter;
  }

  /**
   * The response, its body unread.
   *
   * @return the response
   */
  public Response response() {
    return response;
  }

  /**
   * How long the server asked to wait.
   *
   * @return the delay, or empty when the response asked for none
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
