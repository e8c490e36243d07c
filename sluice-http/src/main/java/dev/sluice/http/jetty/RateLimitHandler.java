package dev.sluice.http.jetty;

import dev.sluice.http.HttpOutcome;
import dev.sluice.http.HttpRateLimiter;
import dev.sluice.http.HttpRequestView;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * A Jetty 12 core handler that applies an {@link HttpRateLimiter} in front of the handler it wraps
 * (an application, or a {@code ProxyHandler} in a gateway): allowed requests go on with rate-limit
 * headers already set; refused ones are answered here, 429 with a problem body. When the wrapped
 * handler throws before committing, the error response (the context's error handler, usually 500)
 * is written here so that it keeps the rate-limit headers.
 *
 * <pre>{@code
 * server.setHandler(new RateLimitHandler(limiter, applicationHandler));
 * }</pre>
 *
 * <p>A decision may block (a Redis round trip, a JWKS fetch), so the handler declares itself {@code
 * BLOCKING} and Jetty calls it on a pool thread. A limiter that never blocks (the in-memory store,
 * tokens verified with a local key) can say so with {@link #RateLimitHandler(Supplier, Handler,
 * Invocable.InvocationType)}: in front of a non-blocking handler (an asynchronous proxy, say) Jetty
 * may then run the whole request on its I/O thread, without handing it over to another thread.
 */
public final class RateLimitHandler extends Handler.Wrapper {
  private final Supplier<HttpRateLimiter> limiter;
  private final Invocable.InvocationType decisions;

  /**
   * A handler that wraps nothing yet; set the child with {@link #setHandler}.
   *
   * @param limiter the limiter
   */
  public RateLimitHandler(HttpRateLimiter limiter) {
    this.limiter = fixed(limiter);
    this.decisions = Invocable.InvocationType.BLOCKING;
  }

  /**
   * A handler in front of {@code next}.
   *
   * @param limiter the limiter
   * @param next the handler allowed requests go to
   */
  public RateLimitHandler(HttpRateLimiter limiter, Handler next) {
    super(next);
    this.limiter = fixed(limiter);
    this.decisions = Invocable.InvocationType.BLOCKING;
  }

  /**
   * A handler in front of {@code next} that asks {@code limiter} for the limiter to apply on every
   * request, so a reload can swap it (an {@code AtomicReference::get}, say) while requests flow.
   *
   * @param limiter gives the limiter in force; read once per request, must not return null
   * @param next the handler allowed requests go to
   */
  public RateLimitHandler(Supplier<HttpRateLimiter> limiter, Handler next) {
    this(limiter, next, Invocable.InvocationType.BLOCKING);
  }

  /**
   * A handler in front of {@code next}, as {@link #RateLimitHandler(Supplier, Handler)}, whose
   * decisions are of the given invocation type. Declare {@code NON_BLOCKING} only when no limiter
   * the supplier can return waits on I/O or a lock held across I/O: Jetty may run it on the
   * selector thread, which every connection shares.
   *
   * @param limiter gives the limiter in force; read once per request, must not return null
   * @param next the handler allowed requests go to
   * @param decisions {@code BLOCKING} unless every decision completes without waiting
   */
  public RateLimitHandler(
      Supplier<HttpRateLimiter> limiter, Handler next, Invocable.InvocationType decisions) {
    super(next);
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.decisions = Objects.requireNonNull(decisions, "decisions");
  }

  /**
   * The decisions' invocation type combined with the wrapped handler's: {@code NON_BLOCKING} only
   * when both are.
   */
  @Override
  public Invocable.InvocationType getInvocationType() {
    return Invocable.combine(decisions, super.getInvocationType());
  }

  private static Supplier<HttpRateLimiter> fixed(HttpRateLimiter limiter) {
    Objects.requireNonNull(limiter, "limiter");
    return () -> limiter;
  }

  /**
   * The limiter this handler applies now.
   *
   * @return the limiter
   */
  public HttpRateLimiter limiter() {
    return limiter.get();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    HttpOutcome outcome = limiter.get().decide(new View(request));
    HttpFields.Mutable headers = response.getHeaders();
    outcome.forEachHeader(headers::put);
    if (outcome.proceed()) {
      try {
        return super.handle(request, response, callback);
      } catch (Exception failure) {
        if (response.isCommitted()) {
          throw failure;
        }
        // Jetty would answer a throwing handler on a fresh response, without the headers set
        // above; the same error answered here, on this response, keeps them
        Response.writeError(request, response, callback, failure);
        return true;
      }
    }
    writeRefusal(outcome, response, callback);
    return true;
  }

  /**
   * Answers a refused outcome on a Jetty response: its status, media type and body (the rate-limit
   * headers are set by the caller, as for an allowed one). For handlers that decide with the same
   * limiter but route otherwise, such as a decision-only endpoint.
   *
   * @param outcome an outcome that does not proceed
   * @param response the response, not committed
   * @param callback completed when the body is written
   */
  public static void writeRefusal(HttpOutcome outcome, Response response, Callback callback) {
    byte[] body = outcome.body();
    HttpFields.Mutable headers = response.getHeaders();
    response.setStatus(outcome.status());
    headers.put(HttpHeader.CONTENT_TYPE, outcome.contentType());
    headers.put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private record View(Request request) implements HttpRequestView {
    @Override
    public String method() {
      return request.getMethod();
    }

    @Override
    public String path() {
      String path = URIUtil.decodePath(Request.getPathInContext(request));
      return path == null || path.isEmpty() ? "/" : path;
    }

    @Override
    public String peerAddress() {
      return Request.getRemoteAddr(request);
    }

    @Override
    public List<String> headers(String name) {
      return request.getHeaders().getValuesList(name);
    }
  }
}
