package dev.sluice.app;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real Jetty server for gateways to forward to: {@code 500} for {@code /fail}, else {@code 200
 * hello}. {@link #stop()} takes it away at once, as a crash would for the gateway.
 */
final class TestUpstream implements AutoCloseable {
  private final Server server = new Server();

  TestUpstream() throws Exception {
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setStopTimeout(0);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            boolean fail = Request.getPathInContext(request).equals("/fail");
            response.setStatus(fail ? 500 : 200);
            byte[] body = (fail ? "upstream failed" : "hello").getBytes(StandardCharsets.UTF_8);
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
          }
        });
    server.start();
  }

  /** {@code http://127.0.0.1:port}, for {@code [gateway] upstream}. */
  String uri() {
    return "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** Stops listening and drops the connections. */
  void stop() throws Exception {
    server.stop();
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
