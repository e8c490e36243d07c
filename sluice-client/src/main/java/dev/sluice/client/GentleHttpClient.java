package dev.sluice.client;

import dev.sluice.PolicyChain;
import dev.sluice.SluiceException;
import dev.sluice.throttle.Permit;
import dev.sluice.throttle.Throttle;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * A {@link HttpClient} that is gentle with the server it calls: every request goes through a retry
 * policy, a circuit breaker and a throttle (any of them, in that order), and the client does the
 * bookkeeping a caller would otherwise write around every call.
 *
 * <pre>{@code
 * HttpClient client = GentleHttpClient.builder(HttpClient.newHttpClient())
 *     .throttle(Throttle.create(ThrottleConfig.builder().maxConcurrency(16).build()))
 *     .breaker(CircuitBreaker.builder().name("partner-api").build())
 *     .retry(RetryPolicy.builder().maxAttempts(5).build())
 *     .build();
 * HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
 * }</pre>
 *
 * <p>Each attempt takes a throttle permit (waiting for its pace), sends, and hands the response's
 * header fields to the permit, so {@code RateLimit}, OpenAI, Anthropic, GitHub and legacy {@code
 * X-RateLimit-*} headers pace the calls that follow. A response whose status is a failure (429 and
 * 5xx unless told otherwise) slows the throttle down, counts against the breaker and is retried
 * after at least its {@code Retry-After} (seconds or HTTP date); a lost connection is a failure
 * too; any other response, a 404 included, is returned as it is and counts as a success: the server
 * answered. When the retries are used up, {@link #send} returns the last response, as a plain
 * client would; a lost connection throws its {@link IOException}, an open breaker its {@link
 * dev.sluice.breaker.CircuitOpenException}. A durable handler's suspension passes through
 * untouched.
 *
 * <p>WebSockets and the client's settings are the wrapped client's. Closing this client closes the
 * wrapped one, never the throttle, which may serve other clients. Safe for concurrent use.
 */
public final class GentleHttpClient extends HttpClient {
  private final HttpClient delegate;
  private final @Nullable Throttle throttle;
  private final CallRules rules;
  private final PolicyChain policies;

  private GentleHttpClient(Builder b) {
    this.delegate = b.delegate;
    this.throttle = b.throttle();
    this.rules = b.rules();
    this.policies = rules.policies;
  }

  /**
   * Starts a builder around {@code delegate}, which does the sending.
   *
   * @param delegate the client that sends; its settings are this client's
   * @return a builder with no throttle, breaker or retry yet
   */
  public static Builder builder(HttpClient delegate) {
    return new Builder(Objects.requireNonNull(delegate, "client.delegate"));
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
      throws IOException, InterruptedException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(handler, "handler");
    try {
      return policies.call(() -> attempt(request, handler));
    } catch (HttpStatusException refused) {
      return cast(refused.response()); // the policies gave up: the last answer, as it came
    } catch (IOException | InterruptedException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new SluiceException("unexpected failure sending " + request, e);
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, BodyHandler<T> handler) {
    return sendAsync(request, handler, null);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, BodyHandler<T> handler, @Nullable PushPromiseHandler<T> pushes) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(handler, "handler");
    CompletableFuture<HttpResponse<T>> out = new CompletableFuture<>();
    CompletableFuture<HttpResponse<T>> attempts =
        policies.callAsync(() -> attemptAsync(request, handler, pushes));
    attempts.whenComplete(
        (response, failure) -> {
          Throwable cause = unwrap(failure);
          if (cause == null) {
            out.complete(response);
          } else if (cause instanceof HttpStatusException refused) {
            out.complete(cast(refused.response()));
          } else {
            out.completeExceptionally(cause);
          }
        });
    out.whenComplete(
        (response, failure) -> {
          if (out.isCancelled()) {
            attempts.cancel(false); // no further retry
          }
        });
    return out;
  }

  private <T> HttpResponse<T> attempt(HttpRequest request, BodyHandler<T> handler)
      throws IOException, InterruptedException {
    Permit permit = throttle == null ? null : throttle.acquire();
    try {
      HttpResponse<T> response;
      try {
        response = delegate.send(request, handler);
      } catch (IOException lost) {
        if (permit != null) {
          permit.recordFailure(lost);
        }
        throw lost;
      }
      return settle(permit, response);
    } finally {
      if (permit != null) {
        permit.close(); // unreported (interrupted, a handler's error): no outcome
      }
    }
  }

  private <T> CompletableFuture<HttpResponse<T>> attemptAsync(
      HttpRequest request, BodyHandler<T> handler, @Nullable PushPromiseHandler<T> pushes) {
    CompletableFuture<Permit> permits =
        throttle == null ? CompletableFuture.completedFuture(null) : throttle.acquireAsync();
    CompletableFuture<HttpResponse<T>> out = new CompletableFuture<>();
    permits.whenComplete(
        (permit, refused) -> {
          if (refused != null) {
            out.completeExceptionally(unwrap(refused));
            return;
          }
          CompletableFuture<HttpResponse<T>> sent;
          try {
            sent =
                pushes == null
                    ? delegate.sendAsync(request, handler)
                    : delegate.sendAsync(request, handler, pushes);
          } catch (RuntimeException e) {
            if (permit != null) {
              permit.close();
            }
            out.completeExceptionally(e);
            return;
          }
          sent.whenComplete(
              (response, failure) -> {
                try {
                  Throwable cause = unwrap(failure);
                  if (cause != null) {
                    if (permit != null && cause instanceof IOException) {
                      permit.recordFailure(cause);
                    }
                    out.completeExceptionally(cause);
                  } else {
                    out.complete(settle(permit, response));
                  }
                } catch (HttpStatusException | RuntimeException settling) {
                  out.completeExceptionally(settling); // never leave the caller waiting
                } finally {
                  if (permit != null) {
                    permit.close();
                  }
                }
              });
        });
    return out;
  }

  /** Tells the permit what the response said; a failure status becomes an exception. */
  private <T> HttpResponse<T> settle(@Nullable Permit permit, HttpResponse<T> response)
      throws HttpStatusException {
    if (permit != null) {
      permit.recordHeaders(response.headers().map());
    }
    if (rules.isFailure(response.statusCode())) {
      HttpStatusException failure =
          new HttpStatusException(
              response,
              rules.retryAfter(
                  response.headers().firstValue("Retry-After").orElse(null),
                  response.headers().firstValue("RateLimit").orElse(null)));
      if (permit != null) {
        permit.recordFailure(failure);
      }
      throw failure;
    }
    if (permit != null) {
      permit.recordSuccess();
    }
    return response;
  }

  @SuppressWarnings("unchecked") // the response was made by this call's own body handler
  private static <T> HttpResponse<T> cast(HttpResponse<?> response) {
    return (HttpResponse<T>) response;
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }

  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return delegate.newWebSocketBuilder();
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public boolean awaitTermination(Duration duration) throws InterruptedException {
    return delegate.awaitTermination(duration);
  }

  @Override
  public boolean isTerminated() {
    return delegate.isTerminated();
  }

  @Override
  public void shutdownNow() {
    delegate.shutdownNow();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "GentleHttpClient[" + policies + (throttle == null ? "" : ", " + throttle) + "]";
  }

  /** Builds a {@link GentleHttpClient} around the client that sends. */
  public static final class Builder extends GentleBuilder<Builder> {
    private final HttpClient delegate;

    private Builder(HttpClient delegate) {
      this.delegate = delegate;
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Builds the client.
     *
     * @return the client
     */
    public GentleHttpClient build() {
      return new GentleHttpClient(this);
    }
  }
}
