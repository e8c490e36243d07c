package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the gateway decides: on Jetty's I/O threads when no decision can wait (in memory, tokens
 * checked with a local key), on pool threads otherwise; and a reload that would make decisions wait
 * on such a gateway is refused, since the threads cannot change while it runs.
 */
class GatewayInvocationIT {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
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

  private Path write(String jwt) throws Exception {
    Path file = dir.resolve("gateway.toml");
    Files.writeString(
        file,
        """
        [gateway]
        listen = "127.0.0.1:0"
        upstream = "%s"

        [admin]
        listen = "127.0.0.1:0"
        %s

        [[defaults.limits]]
        id = "per-day"
        quota = 3
        window = "1d"
        """
            .formatted(upstream.uri(), jwt));
    return file;
  }

  private HttpResponse<String> get() throws Exception {
    return client.send(
        HttpRequest.newBuilder(gateway.publicUri().resolve("/items")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void inMemoryWithALocalKeyTheGatewayDecidesAndProxiesWithoutWaiting() throws Exception {
    gateway =
        Gateway.fromFile(write("[jwt]\nhmac-secret = \"" + SECRET + "\"\n"), Map.of()).start();

    assertThat(gateway.decisions()).isEqualTo(InvocationType.NON_BLOCKING);
    assertThat(gateway.publicInvocationType()).isEqualTo(InvocationType.NON_BLOCKING);
    HttpResponse<String> first = get();
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("upstream /items");
    assertThat(first.headers().firstValue("X-RateLimit-Remaining")).hasValue("2");
    get();
    get();
    assertThat(get().statusCode()).isEqualTo(429);
  }

  @Test
  void aKeySetToFetchMakesDecisionsBlocking() throws Exception {
    gateway =
        Gateway.fromFile(write("[jwt]\njwks-url = \"http://127.0.0.1:9/jwks.json\"\n"), Map.of())
            .start();

    assertThat(gateway.decisions()).isEqualTo(InvocationType.BLOCKING);
    assertThat(gateway.publicInvocationType()).isEqualTo(InvocationType.BLOCKING);
    assertThat(get().statusCode()).isEqualTo(200);
  }

  @Test
  void aReloadThatAddsAKeySetToANonBlockingGatewayIsRefusedAndChangesNothing() throws Exception {
    Path file = write("");
    gateway = Gateway.fromFile(file, Map.of()).start();
    assertThat(get().statusCode()).isEqualTo(200);

    write("[jwt]\njwks-url = \"http://127.0.0.1:9/jwks.json\"\n");
    HttpResponse<String> reload =
        client.send(
            HttpRequest.newBuilder(gateway.adminUri().resolve("/admin/reload"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(reload.statusCode()).isEqualTo(422);
    assertThat(reload.body()).contains("jwt.jwks-url needs a restart");
    assertThat(gateway.configVersion()).isEqualTo(1);
    assertThat(gateway.scrape()).contains("sluice_gateway_reloads_total{result=\"refused\"} 1.0");
    HttpResponse<String> after = get();
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.headers().firstValue("X-RateLimit-Remaining")).hasValue("1");
  }
}
