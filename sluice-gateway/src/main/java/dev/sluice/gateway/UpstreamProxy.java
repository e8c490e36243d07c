package dev.sluice.gateway;

import dev.sluice.http.ProblemBody;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * Jetty's reverse proxy towards one upstream, with the gateway's timeouts; an upstream that cannot
 * be reached or fails mid-response gets a 502 (a timeout 504) with a problem+json body, written on
 * the response that already carries the rate-limit headers.
 */
final class UpstreamProxy extends ProxyHandler.Reverse {
  private final Duration connectTimeout;
  private final Duration responseTimeout;

  UpstreamProxy(URI upstream, Duration connectTimeout, Duration responseTimeout) {
    super(request -> rewrite(upstream, request));
    this.connectTimeout = connectTimeout;
    this.responseTimeout = responseTimeout;
    // the client's I/O completions run on the server's threads: no second pool to hand over to
    setUseServerThreadPool(true);
  }

  private static HttpURI rewrite(URI upstream, Request request) {
    HttpURI in = request.getHttpURI();
    String base = upstream.getRawPath() == null ? "" : upstream.getRawPath();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    String path = in.getPath() == null ? "/" : in.getPath();
    return HttpURI.build()
        .scheme(upstream.getScheme())
        .host(upstream.getHost())
        .port(upstream.getPort())
        .path(base + path)
        .query(in.getQuery());
  }

  /** Jetty's {@code Via} and RFC 7239 {@code Forwarded}, and the de facto {@code X-Forwarded-*}. */
  @Override
  protected void addProxyHeaders(
      Request clientToProxyRequest, org.eclipse.jetty.client.Request proxyToServerRequest) {
    super.addProxyHeaders(clientToProxyRequest, proxyToServerRequest);
    String peer = Request.getRemoteAddr(clientToProxyRequest);
    String before = clientToProxyRequest.getHeaders().get("X-Forwarded-For");
    String chain = before == null || before.isBlank() ? peer : before + ", " + peer;
    String host = clientToProxyRequest.getHeaders().get(HttpHeader.HOST);
    proxyToServerRequest.headers(
        headers -> {
          headers.put("X-Forwarded-For", chain);
          headers.put("X-Forwarded-Proto", clientToProxyRequest.getHttpURI().getScheme());
          if (host != null) {
            headers.put("X-Forwarded-Host", host);
          }
        });
  }

  /** The proxy only starts asynchronous exchanges: it never waits. */
  @Override
  public Invocable.InvocationType getInvocationType() {
    return Invocable.InvocationType.NON_BLOCKING;
  }

  @Override
  protected HttpClient newHttpClient() {
    HttpClient client = super.newHttpClient();
    client.setConnectTimeout(connectTimeout.toMillis());
    client.setFollowRedirects(false);
    // the proxy answers the upstream's response with asynchronous writes only: its I/O events may
    // run on the selector thread, with no hand-over to a pool thread
    client.getHttpClientTransport().setInvocationType(Invocable.InvocationType.NON_BLOCKING);
    return client;
  }

  @Override
  protected org.eclipse.jetty.client.Request newProxyToServerRequest(
      Request clientToProxyRequest, HttpURI newHttpURI) {
    return super.newProxyToServerRequest(clientToProxyRequest, newHttpURI)
        .timeout(responseTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  protected void onServerToProxyResponseFailure(
      Request clientToProxyRequest,
      org.eclipse.jetty.client.Request proxyToServerRequest,
      org.eclipse.jetty.client.Response serverToProxyResponse,
      Response proxyToClientResponse,
      Callback proxyToClientCallback,
      Throwable failure) {
    if (proxyToClientResponse.isCommitted()) {
      super.onServerToProxyResponseFailure(
          clientToProxyRequest,
          proxyToServerRequest,
          serverToProxyResponse,
          proxyToClientResponse,
          proxyToClientCallback,
          failure);
      return;
    }
    boolean timeout = causedByTimeout(failure);
    int status = timeout ? 504 : 502;
    String title = timeout ? "Gateway Timeout" : "Bad Gateway";
    String detail =
        timeout
            ? "The upstream did not answer within " + responseTimeout.toMillis() + " ms."
            : "The upstream could not be reached or failed while answering.";
    byte[] body = ProblemBody.simple(status, title, detail).getBytes(StandardCharsets.UTF_8);
    // only the rate-limit fields set before the proxy stay; the upstream's partial ones go
    proxyToClientResponse.getHeaders().remove(HttpHeader.CONTENT_ENCODING);
    proxyToClientResponse.getHeaders().remove(HttpHeader.TRANSFER_ENCODING);
    proxyToClientResponse.setStatus(status);
    proxyToClientResponse.getHeaders().put(HttpHeader.CONTENT_TYPE, ProblemBody.MEDIA_TYPE);
    proxyToClientResponse
        .getHeaders()
        .put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
    proxyToClientResponse.write(true, ByteBuffer.wrap(body), proxyToClientCallback);
  }

  private static boolean causedByTimeout(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }
}
