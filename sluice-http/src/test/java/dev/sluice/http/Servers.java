package dev.sluice.http;

import dev.sluice.http.jetty.RateLimitHandler;
import dev.sluice.http.servlet.RateLimitFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/** A real Jetty with the filter or the handler in front of a tiny application, and a client. */
final class Servers implements AutoCloseable {
  private final Server server;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  private final int port;

  private Servers(Server server, ServerConnector connector) throws Exception {
    this.server = server;
    server.start();
    this.port = connector.getLocalPort();
  }

  /**
   * The application behind the servlet filter: /boom answers 500, /throw throws, everything else
   * 200 "ok".
   */
  static Servers withFilter(HttpRateLimiter limiter) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new App()), "/*");
    context.addFilter(
        new FilterHolder(new RateLimitFilter(limiter)), "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    return new Servers(server, connector);
  }

  /** The filter registered by class name, configured from a TOML file by its init parameter. */
  static Servers withFilterConfig(java.nio.file.Path toml) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new App()), "/*");
    FilterHolder filter = new FilterHolder(RateLimitFilter.class);
    filter.setInitParameter(RateLimitFilter.CONFIG_PARAMETER, toml.toString());
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    return new Servers(server, connector);
  }

  /** Any Jetty core handler (a JWKS document, say) on a port of its own. */
  static Servers serving(Handler handler) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    server.addConnector(connector);
    server.setHandler(handler);
    return new Servers(server, connector);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** The same application as a Jetty core handler behind the rate-limit handler. */
  static Servers withHandler(HttpRateLimiter limiter) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    server.addConnector(connector);
    server.setHandler(new RateLimitHandler(limiter, new CoreApp()));
    return new Servers(server, connector);
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    client.close();
    server.stop();
  }

  private static final class App extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      if ("/throw".equals(req.getPathInfo())) {
        throw new IllegalStateException("the application failed");
      }
      if ("/boom".equals(req.getPathInfo())) {
        resp.setStatus(500);
        resp.getWriter().write("boom");
        return;
      }
      resp.setContentType("text/plain");
      resp.getWriter().write("ok");
    }
  }

  private static final class CoreApp extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      if (Request.getPathInContext(request).equals("/throw")) {
        throw new IllegalStateException("the application failed");
      }
      boolean boom = Request.getPathInContext(request).equals("/boom");
      response.setStatus(boom ? 500 : 200);
      response.write(
          true, ByteBuffer.wrap((boom ? "boom" : "ok").getBytes(StandardCharsets.UTF_8)), callback);
      return true;
    }
  }
}
