package dev.sluice.app;

import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.store.MemoryStore;
import dev.sluice.time.TimeSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The API {@code sluice demo} calls: {@code GET /items/N} answers {@code {"item":N}}, on a real
 * Jetty server on loopback, with a limit per second it does not announce: over it, a bare 429 with
 * no header at all, as many real APIs answer. It counts what it served and, when given a log file,
 * appends each item it served, so a test can check that no call was made twice.
 */
final class SampleApi implements AutoCloseable {
  private static final byte[] REFUSED = "slow down\n".getBytes(StandardCharsets.US_ASCII);

  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);
  private final RateLimiter limiter;
  private final List<Limit> limits;
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final Path log;
  private final ReentrantLock logLock = new ReentrantLock();

  private SampleApi(int hiddenLimit, Path log, TimeSource time) {
    this.limiter =
        RateLimiter.builder().store(MemoryStore.withMaxKeys(16)).timeSource(time).build();
    this.limits =
        List.of(
            Limit.builder("hidden")
                .quota(hiddenLimit)
                .window(Duration.ofSeconds(1))
                .burst(Math.max(1, hiddenLimit / 5))
                .build());
    this.log = log;
  }

  /** Starts the API on a free loopback port. */
  static SampleApi start(int hiddenLimit, Path log, TimeSource time) throws Exception {
    SampleApi api = new SampleApi(hiddenLimit, log, time);
    api.connector.setHost("127.0.0.1");
    api.connector.setPort(0);
    api.server.addConnector(api.connector);
    api.server.setHandler(api.new Items());
    api.server.start();
    return api;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  long served() {
    return served.get();
  }

  long refused() {
    return refused.get();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("demo: the sample API did not stop", e);
    }
  }

  private void record(String item) {
    if (log == null) {
      return;
    }
    logLock.lock();
    try {
      Files.writeString(log, item + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("demo: cannot append to " + log, e);
    } finally {
      logLock.unlock();
    }
  }

  private final class Items extends Handler.Abstract.NonBlocking {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      if (!path.startsWith("/items/")) {
        response.setStatus(404);
        callback.succeeded();
        return true;
      }
      if (!limiter.decide("api", limits).allowed()) {
        refused.incrementAndGet();
        response.setStatus(429);
        response.write(true, ByteBuffer.wrap(REFUSED), callback);
        return true;
      }
      String item = path.substring("/items/".length());
      served.incrementAndGet();
      record(item);
      response.getHeaders().put("Content-Type", "application/json");
      response.write(
          true,
          ByteBuffer.wrap(("{\"item\":\"" + item + "\"}").getBytes(StandardCharsets.UTF_8)),
          callback);
      return true;
    }
  }
}
