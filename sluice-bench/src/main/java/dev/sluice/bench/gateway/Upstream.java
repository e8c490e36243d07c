package dev.sluice.bench.gateway;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The API behind every target of the load benchmark, in a process of its own: a Jetty 12 server
 * that answers every request at once with {@code 200 hello}. Prints {@code upstream listening on
 * http://127.0.0.1:PORT} when ready; runs until killed.
 *
 * <p>{@code java -cp benchmarks.jar dev.sluice.bench.gateway.Upstream [port]} (0: any free port).
 */
public final class Upstream {
  private static final ByteBuffer HELLO =
      ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

  private Upstream() {}

  /**
   * Starts the server.
   *
   * @param args the port, optional
   * @throws Exception if the server cannot start
   */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    connector.setAcceptQueueSize(1024);
    connector.setIdleTimeout(300_000);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract.NonBlocking() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            response.setStatus(200);
            response.getHeaders().put("Content-Type", "text/plain");
            response.write(true, HELLO.slice(), callback);
            return true;
          }
        });
    server.start();
    System.out.println("upstream listening on http://127.0.0.1:" + connector.getLocalPort());
    System.out.flush();
    server.join();
  }
}
