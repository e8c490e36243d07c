package dev.sluice.durable;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.durable.store.SqliteExecutionStore;
import dev.sluice.retry.Backoff;
import dev.sluice.retry.RetryPolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The example of docs/durable.md, run against a local server whose first answer is a 503. */
@Timeout(60)
class HttpBatchExampleTest {
  record Fetch(String url) {}

  record Page(String url, int status, int length) {}

  @TempDir Path dir;
  HttpServer server;
  final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          int hit =
              hits.computeIfAbsent(exchange.getRequestURI().getPath(), k -> new AtomicInteger())
                  .incrementAndGet();
          byte[] body =
              (hit == 1 ? "busy" : "page " + exchange.getRequestURI().getPath())
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(hit == 1 ? 503 : 200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void batchOfHttpCallsRunsAsDurableTasksWithRetriesOnServerErrors() {
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    HttpClient http = HttpClient.newHttpClient();

    // --- as in docs/durable.md ---
    try (SqliteExecutionStore store = SqliteExecutionStore.open(dir.resolve("batch.db"))) {
      Durable durable = Durable.builder().store(store).build();
      RetryPolicy retry =
          RetryPolicy.builder()
              .maxAttempts(4)
              .backoff(Backoff.exponential(Duration.ofMillis(50), 2, Duration.ofSeconds(2)))
              .build();
      Task<Fetch, Page> fetch =
          durable.register(
              Task.of(
                      "http.fetch",
                      Fetch.class,
                      Page.class,
                      (ctx, in) -> {
                        HttpResponse<String> response =
                            http.send(
                                HttpRequest.newBuilder(URI.create(in.url())).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() >= 500) {
                          throw new IOException(
                              "HTTP " + response.statusCode() + " from " + in.url());
                        }
                        return new Page(in.url(), response.statusCode(), response.body().length());
                      })
                  .withRetry(retry));
      List<Fetch> batch = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        batch.add(new Fetch(base + "/item/" + i));
      }
      try (Worker worker =
          durable.worker(WorkerConfig.builder().queues("http").concurrency(8).build()).start()) {
        List<ExecutionId> ids =
            durable.map(
                fetch,
                batch,
                DispatchOptions.builder().queue("http").idempotencyKey("nightly-batch").build());
        List<Page> pages = new ArrayList<>();
        for (ExecutionId id : ids) {
          pages.add(durable.waitFor(id, Page.class, Duration.ofSeconds(30)));
        }
        // --- end of example ---

        assertThat(pages).hasSize(20).allSatisfy(p -> assertThat(p.status()).isEqualTo(200));
        assertThat(pages.get(7).url()).endsWith("/item/7");
        assertThat(hits.values()).allSatisfy(h -> assertThat(h).hasValue(2));
        assertThat(ids).allSatisfy(id -> assertThat(durable.find(id).attempt()).isEqualTo(2));
        assertThat(
                durable.map(
                    fetch,
                    batch,
                    DispatchOptions.builder()
                        .queue("http")
                        .idempotencyKey("nightly-batch")
                        .build()))
            .as("the same batch dispatched again is the same batch")
            .isEqualTo(ids);
        assertThat(worker.rejectedWrites()).isZero();
      }
    }
  }
}
