package dev.sluice.examples;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.throttle.Permit;
import dev.sluice.throttle.Throttle;
import dev.sluice.throttle.ThrottleConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The README's first command: a crawl of 200 URLs through an adaptive {@link Throttle} against a
 * local server limited to 20 requests/s. The same code is shown in {@code docs/throttle.md}.
 */
public final class Crawl {
  private Crawl() {}

  public static void main(String[] args) throws Exception {
    // crawl the URL given, or a local demo server limited to 20 requests/s
    URI base = args.length > 0 ? URI.create(args[0]) : DemoServer.start(20);
    int tasks = 200;
    Throttle throttle =
        Throttle.create(ThrottleConfig.builder().maxConcurrency(16).totalTasks(tasks).build());
    HttpClient client = HttpClient.newHttpClient();
    AtomicInteger failed = new AtomicInteger();
    long start = System.nanoTime();
    try (var workers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < tasks; i++) {
        URI uri = base.resolve("item/" + i);
        workers.submit(
            () -> {
              try {
                return fetch(throttle, client, uri);
              } catch (IOException e) {
                failed.incrementAndGet(); // a real crawler would retry it later
                return null;
              }
            });
      }
    }
    throttle.drain(Duration.ofMinutes(1));
    System.out.printf(
        "%d ok, %d rejected in %.1f s%n%s%n",
        tasks - failed.get(), failed.get(), (System.nanoTime() - start) / 1e9, throttle.snapshot());
    System.exit(0);
  }

  static String fetch(Throttle throttle, HttpClient client, URI uri) throws Exception {
    try (Permit permit = throttle.acquire()) {
      HttpResponse<String> response =
          client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      permit.recordHeaders(response.headers().map()); // Retry-After, RateLimit, X-RateLimit-*
      if (response.statusCode() == 429 || response.statusCode() >= 500) {
        IOException failure = new IOException("HTTP " + response.statusCode() + " for " + uri);
        permit.recordFailure(failure);
        throw failure;
      }
      permit.recordSuccess();
      return response.body();
    }
  }

  /** A server with a token bucket of `rate` per second (burst `rate`) and IETF RateLimit fields. */
  static final class DemoServer {
    static URI start(int rate) throws IOException {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      double[] bucket = {rate, System.nanoTime()}; // tokens, last refill
      ReentrantLock lock = new ReentrantLock();
      server.createContext(
          "/",
          exchange -> {
            int status;
            long left;
            lock.lock();
            try {
              long now = System.nanoTime();
              bucket[0] = Math.min(rate, bucket[0] + rate * (now - bucket[1]) / 1e9);
              bucket[1] = now;
              status = bucket[0] >= 1 ? 200 : 429;
              if (status == 200) {
                bucket[0] -= 1;
              }
              left = (long) bucket[0];
            } finally {
              lock.unlock();
            }
            var headers = exchange.getResponseHeaders();
            headers.add("RateLimit-Policy", "\"default\";q=" + rate + ";w=1");
            headers.add("RateLimit", "\"default\";r=" + left + ";t=1");
            if (status == 429) {
              headers.add("Retry-After", "1");
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
          });
      server.start();
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }
  }
}
