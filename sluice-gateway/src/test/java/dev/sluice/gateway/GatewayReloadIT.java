package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a reload swaps besides the policy (client identity, header dialects), what it cannot
 * (listeners, timeouts: reported as needing a restart), and the file watch.
 */
class GatewayReloadIT {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Upstream upstream;
  private Gateway gateway;
  @TempDir Path dir;

  @BeforeEach
  void startUpstream() throws Exception {
    upstream = new Upstream();
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    upstream.close();
  }

  /** A day's window, so no permit comes back while a test runs. */
  private String config(String gatewayExtra, String tables, long quota) {
    return """
        [gateway]
        listen = "127.0.0.1:0"
        upstream = "%s"
        %s

        [admin]
        listen = "127.0.0.1:0"

        %s

        [[defaults.limits]]
        id = "per-day"
        quota = %d
        window = "1d"
        """
        .formatted(upstream.uri(), gatewayExtra, tables, quota);
  }

  /** Writes the file as a careful operator does: a new file renamed over the old one. */
  private Path write(String text) throws IOException {
    Path file = dir.resolve("gateway.toml");
    Path next = dir.resolve("gateway.toml.next");
    Files.writeString(next, text);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return file;
  }

  private HttpResponse<String> get(String forwardedFor) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(gateway.publicUri().resolve("/items"));
    if (forwardedFor != null) {
      request.header("X-Forwarded-For", forwardedFor);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> admin(String method, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(gateway.adminUri().resolve(path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aReloadSwapsTheClientIdentityAndTheHeaderDialectsKeepingCounters() throws Exception {
    Path file = write(config("", "[headers]\ndialects = \"ietf\"", 2));
    gateway = Gateway.fromFile(file, Map.of()).start();
    // no trusted proxy: X-Forwarded-For is the client's own claim, so both count as the peer
    assertThat(get("203.0.113.1").statusCode()).isEqualTo(200);
    assertThat(get("203.0.113.2").statusCode()).isEqualTo(200);
    HttpResponse<String> spent = get("203.0.113.3");
    assertThat(spent.statusCode()).isEqualTo(429);
    assertThat(spent.headers().firstValue("RateLimit")).isPresent();
    assertThat(spent.headers().firstValue("X-RateLimit-Limit")).isEmpty();

    write(
        config(
            "",
            "[headers]\ndialects = \"legacy\"\n\n[identity]\ntrusted-proxies = [\"127.0.0.1/32\"]",
            2));
    assertThat(admin("POST", "/admin/reload").statusCode()).isEqualTo(200);

    // the loopback peer is now a trusted proxy: each forwarded address has its own budget
    HttpResponse<String> first = get("203.0.113.1");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("X-RateLimit-Limit")).hasValue("2");
    assertThat(first.headers().firstValue("RateLimit")).isEmpty();
    assertThat(get("203.0.113.1").statusCode()).isEqualTo(200);
    assertThat(get("203.0.113.1").statusCode()).isEqualTo(429);
    assertThat(get("203.0.113.2").statusCode()).isEqualTo(200);
    // the peer's own budget, spent before the reload, was kept
    assertThat(get(null).statusCode()).isEqualTo(429);
  }

  @Test
  void aReloadThatChangesAListenerOrTimeoutSaysARestartIsNeeded() throws Exception {
    Path file = write(config("", "", 5));
    gateway = Gateway.fromFile(file, Map.of()).start();

    write(config("connect-timeout = \"1s\"", "", 6));
    assertThat(admin("POST", "/admin/reload").statusCode()).isEqualTo(200);

    String shown = admin("GET", "/admin/config").body();
    assertThat(shown)
        .contains("\"version\":2")
        .contains("\"restart_required\":[\"gateway.connect-timeout\"]");
    // the new quota is in force all the same
    assertThat(get(null).headers().firstValue("X-RateLimit-Limit")).hasValue("6");
  }

  @Test
  void withWatchOnAChangedFileIsReloadedAndAGarbageOneIsRefused() throws Exception {
    Path file = write(config("watch = true", "", 3));
    gateway = Gateway.fromFile(file, Map.of()).start();
    assertThat(get(null).headers().firstValue("X-RateLimit-Limit")).hasValue("3");

    write(config("watch = true", "", 7));
    await().atMost(Duration.ofSeconds(30)).until(() -> gateway.configVersion() == 2);
    assertThat(get(null).headers().firstValue("X-RateLimit-Limit")).hasValue("7");

    write("this is [not toml");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                gateway.scrape().contains("sluice_gateway_reloads_total{result=\"refused\"} 1.0"));
    assertThat(gateway.configVersion()).isEqualTo(2);
    HttpResponse<String> stillServed = get(null);
    assertThat(stillServed.statusCode()).isEqualTo(200);
    assertThat(stillServed.headers().firstValue("X-RateLimit-Limit")).hasValue("7");
  }
}
