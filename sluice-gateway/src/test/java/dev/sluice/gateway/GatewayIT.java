package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway in front of a real Jetty upstream, over real HTTP. */
class GatewayIT {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private List<Map<String, String>> seen;
  private Upstream upstream;
  private Gateway gateway;
  @TempDir Path dir;

  @BeforeEach
  void startUpstream() throws Exception {
    upstream = new Upstream();
    seen = upstream.seen;
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    upstream.close();
  }

  private String upstreamUri() {
    return upstream.uri();
  }

  /** A day's window: a permit comes back every 864 s at 100 a day, so no test sees one return. */
  private Path config(String upstream, long quota) throws IOException {
    Path file = dir.resolve("gateway.toml");
    Files.writeString(
        file,
        """
        [gateway]
        listen = "127.0.0.1:0"
        upstream = "%s"
        response-timeout = "5s"

        [admin]
        listen = "127.0.0.1:0"

        [[defaults.limits]]
        id = "per-day"
        quota = %d
        window = "1d"
        """
            .formatted(upstream, quota));
    return file;
  }

  private Gateway start(Path file) {
    gateway = Gateway.fromFile(file, Map.of()).start();
    return gateway;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(gateway.publicUri().resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> admin(String method, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(gateway.adminUri().resolve(path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void oneHundredPassWithHeadersAndTheHundredAndFirstIsRefusedWithRetryAfter() throws Exception {
    start(config(upstreamUri(), 100));

    for (int i = 1; i <= 100; i++) {
      HttpResponse<String> ok = get("/items?page=" + i);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo("upstream /items");
      assertThat(ok.headers().firstValue("X-RateLimit-Remaining")).hasValue(Long.toString(100 - i));
      assertThat(ok.headers().firstValue("RateLimit")).isPresent();
    }
    HttpResponse<String> refused = get("/items");

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(1L, 86_400L);
    assertThat(refused.body()).contains("\"status\":429").contains("per-day");
    assertThat(seen).hasSize(100);
    assertThat(seen.get(0).get("xff")).isEqualTo("127.0.0.1");
    assertThat(seen.get(0).get("forwarded")).contains("for=\"127.0.0.1\"");
  }

  @Test
  void anUpstreamErrorKeepsTheRateLimitHeaders() throws Exception {
    start(config(upstreamUri(), 10));

    HttpResponse<String> failed = get("/fail");

    assertThat(failed.statusCode()).isEqualTo(500);
    assertThat(failed.headers().firstValue("X-RateLimit-Remaining")).hasValue("9");
  }

  @Test
  void anUpstreamThatIsDownGets502ProblemAndTheLimitsAreUnaffected() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    start(config("http://127.0.0.1:" + closed, 3));

    HttpResponse<String> bad = get("/items");

    assertThat(bad.statusCode()).isEqualTo(502);
    assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(bad.body()).contains("\"status\":502");
    assertThat(bad.headers().firstValue("X-RateLimit-Remaining")).hasValue("2");
    assertThat(get("/items").statusCode()).isEqualTo(502);
    assertThat(get("/items").statusCode()).isEqualTo(502);
    // the limit counts requests, not upstream health
    assertThat(get("/items").statusCode()).isEqualTo(429);
  }

  @Test
  void aReloadAppliesTheNewQuotaKeepingCountersAndAnInvalidFileChangesNothing() throws Exception {
    Path file = config(upstreamUri(), 5);
    start(file);
    for (int i = 0; i < 3; i++) {
      assertThat(get("/a").statusCode()).isEqualTo(200);
    }

    config(upstreamUri(), 10);
    HttpResponse<String> applied = admin("POST", "/admin/reload");

    assertThat(applied.statusCode()).isEqualTo(200);
    assertThat(applied.body()).contains("\"version\":2");
    // 3 used of the new 10: seven more pass, then refused
    for (int i = 0; i < 7; i++) {
      assertThat(get("/a").statusCode()).isEqualTo(200);
    }
    assertThat(get("/a").statusCode()).isEqualTo(429);

    Files.writeString(file, "[gateway]\nupstream = \"nope\"\n");
    HttpResponse<String> refused = admin("POST", "/admin/reload");

    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body()).contains("gateway.upstream").contains("version 2 stays in force");
    assertThat(gateway.configVersion()).isEqualTo(2);
    assertThat(get("/a").statusCode()).isEqualTo(429);
    assertThat(admin("GET", "/admin/config").body()).contains("\"version\":2");
    String metrics = admin("GET", "/metrics").body();
    assertThat(metrics)
        .contains("sluice_gateway_reloads_total{result=\"applied\"} 1.0")
        .contains("sluice_gateway_reloads_total{result=\"refused\"} 1.0")
        .contains("sluice_ratelimit_decisions_total{outcome=\"allowed\",policy=\"gateway\"");
  }

  @Test
  void theAdminEndpointsNeedTheTokenWhenOneIsSet() throws Exception {
    Path file = config(upstreamUri(), 5);
    Files.writeString(
        file, Files.readString(file).replace("[admin]\n", "[admin]\ntoken = \"s3cret\"\n"));
    start(file);

    assertThat(admin("GET", "/metrics").statusCode()).isEqualTo(401);
    assertThat(admin("GET", "/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> withToken =
        client.send(
            HttpRequest.newBuilder(gateway.adminUri().resolve("/metrics"))
                .header("Authorization", "Bearer s3cret")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(withToken.statusCode()).isEqualTo(200);
    assertThat(admin("GET", "/admin/reload").statusCode()).isEqualTo(401);
  }

  @Test
  void theAdminListenerIsLoopbackByDefault() {
    assertThat(GatewayConfigLoader.DEFAULT_ADMIN).startsWith("127.0.0.1:");
    URI ignored = URI.create(upstreamUri());
    GatewayConfig config =
        GatewayConfigLoader.parse("[gateway]\nupstream = \"" + ignored + "\"\n", Map.of());
    assertThat(config.admin().getHostString()).isEqualTo("127.0.0.1");
  }
}
