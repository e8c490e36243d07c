package dev.sluice.gateway;

import dev.sluice.http.HttpOutcome;
import dev.sluice.http.HttpRateLimiter;
import dev.sluice.http.HttpRequestView;
import dev.sluice.http.jetty.RateLimitHandler;
import java.util.List;
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
 * Decision-only mode, for nginx {@code auth_request} or an envoy HTTP {@code ext_authz} service:
 * every request is a question about another one, named by {@code X-Original-Method} and {@code
 * X-Original-URI} (its own method and path when absent); the answer is 200 with the rate-limit
 * headers, or the 429 the client should get. The client's address comes from the forwarding headers
 * of trusted proxies ({@code [identity]}), as in proxy mode.
 */
final class CheckHandler extends Handler.Abstract {
  private final Supplier<HttpRateLimiter> limiter;

  CheckHandler(Supplier<HttpRateLimiter> limiter, Invocable.InvocationType decisions) {
    super(decisions);
    this.limiter = limiter;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    HttpOutcome outcome = limiter.get().decide(new Original(request));
    HttpFields.Mutable headers = response.getHeaders();
    outcome.forEachHeader(headers::put);
    if (outcome.proceed()) {
      response.setStatus(200);
      headers.put(HttpHeader.CONTENT_LENGTH, "0");
      response.write(true, null, callback);
      return true;
    }
    RateLimitHandler.writeRefusal(outcome, response, callback);
    return true;
  }

  /** The request asked about: the original method and path, this request's peer and headers. */
  private record Original(Request request) implements HttpRequestView {
    @Override
    public String method() {
      String method = request.getHeaders().get("X-Original-Method");
      return method == null || method.isBlank() ? request.getMethod() : method.trim();
    }

    @Override
    public String path() {
      String uri = request.getHeaders().get("X-Original-URI");
      String raw;
      if (uri == null || uri.isBlank()) {
        raw = Request.getPathInContext(request);
      } else {
        int query = uri.indexOf('?');
        raw = query < 0 ? uri : uri.substring(0, query);
      }
      String path;
      try {
        path = URIUtil.decodePath(raw);
      } catch (RuntimeException e) {
        // an undecodable original path is judged as written, never refused for its spelling
        path = raw;
      }
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
