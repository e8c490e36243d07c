package dev.sluice.gateway;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real Jetty server the gateway forwards to: answers {@code upstream <path>}, 500 for {@code
 * /fail}, and records the path and forwarding headers of every request it sees.
 */
final class Upstream implements AutoCloseable {
  final List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
  private final Server server = new Server();

  Upstream() throws Exception {
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            seen.add(
                Map.of(
                    "path", path,
                    "xff", String.valueOf(request.getHeaders().get("X-Forwarded-For")),
                    "forwarded", String.valueOf(request.getHeaders().get("Forwarded"))));
            response.setStatus(path.equals("/fail") ? 500 : 200);
            byte[] body = ("upstream " + path).getBytes(StandardCharsets.UTF_8);
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
          }
        });
    server.start();
  }

  String uri() {
    return "http://127.0.0.1:" + port();
  }

  int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
