package dev.sluice.client;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real Jetty server on loopback that answers with the statuses and headers it was told, in order,
 * then 200; it counts the requests it saw.
 */
final class ScriptedServer implements AutoCloseable {
  record Answer(int status, Map<String, String> headers) {}

  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);

  ScriptedServer() throws Exception {
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract.NonBlocking() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            requests.incrementAndGet();
            Answer answer = script.poll();
            int status = answer == null ? 200 : answer.status();
            response.setStatus(status);
            if (answer != null) {
              answer.headers().forEach((name, value) -> response.getHeaders().add(name, value));
            }
            response.write(
                true,
                ByteBuffer.wrap(("status " + status).getBytes(StandardCharsets.US_ASCII)),
                callback);
            return true;
          }
        });
    server.start();
  }

  /** Queues answers for the next requests. */
  ScriptedServer then(int status, Map<String, String> headers) {
    script.add(new Answer(status, headers));
    return this;
  }

  ScriptedServer then(int status) {
    return then(status, Map.of());
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
  }

  int requests() {
    return requests.get();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
