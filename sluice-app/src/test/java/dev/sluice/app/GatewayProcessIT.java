package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice gateway} as a real process, in front of a real upstream, over HTTP. */
class GatewayProcessIT {
  private static final Path JAR = Path.of("target", "sluice.jar");
  private static final Pattern READY =
      Pattern.compile("listening on (http://\\S+) \\(admin (http://\\S+)\\)");

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<String> output = new CopyOnWriteArrayList<>();
  private Server upstream;
  private Process process;
  private URI publicUri;
  private URI adminUri;
  @TempDir Path dir;

  @BeforeEach
  void startUpstream() throws Exception {
    upstream = new Server();
    ServerConnector connector = new ServerConnector(upstream);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    upstream.addConnector(connector);
    upstream.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            response.setStatus(200);
            response.write(
                true, ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)), callback);
            return true;
          }
        });
    upstream.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    upstream.stop();
  }

  private Path write(long quota) throws IOException {
    Path file = dir.resolve("gateway.toml");
    int port = ((ServerConnector) upstream.getConnectors()[0]).getLocalPort();
    Files.writeString(
        file,
        """
        [gateway]
        listen = "127.0.0.1:0"
        upstream = "http://127.0.0.1:%d"

        [admin]
        listen = "127.0.0.1:0"

        # a day's window: no permit comes back while the test runs
        [[defaults.limits]]
        id = "per-day"
        quota = %d
        window = "1d"
        """
            .formatted(port, quota));
    return file;
  }

  private void start(Path file) throws IOException {
    process =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                JAR.toString(),
                "gateway",
                "--config",
                file.toString())
            .redirectErrorStream(true)
            .start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  output.add(line);
                }
              } catch (IOException e) {
                output.add("(output closed: " + e + ")");
              }
            });
    reader.setDaemon(true);
    reader.start();
    await("the gateway's ready line; output: " + output)
        .atMost(Duration.ofSeconds(60))
        .until(() -> output.stream().anyMatch(l -> READY.matcher(l).find()) || !process.isAlive());
    Matcher ready =
        output.stream()
            .map(READY::matcher)
            .filter(Matcher::find)
            .findFirst()
            .orElseThrow(() -> new AssertionError("the gateway did not start: " + output));
    publicUri = URI.create(ready.group(1));
    adminUri = URI.create(ready.group(2));
  }

  private int get(URI base, String path) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(base.resolve(path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  private String body(URI base, String path) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(base.resolve(path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void limitsReloadOnSighupKeepingCountersAndStopGracefullyOnSigterm() throws Exception {
    Path file = write(3);
    start(file);

    for (int i = 0; i < 3; i++) {
      assertThat(get(publicUri, "/items")).as("output: %s", output).isEqualTo(200);
    }
    assertThat(get(publicUri, "/items")).isEqualTo(429);

    write(5);
    new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor();
    await("version 2 after SIGHUP; output: " + output)
        .atMost(Duration.ofSeconds(30))
        .until(() -> body(adminUri, "/admin/config").contains("\"version\":2"));

    // the three charged before count against the new five: two more pass
    assertThat(get(publicUri, "/items")).isEqualTo(200);
    assertThat(get(publicUri, "/items")).isEqualTo(200);
    assertThat(get(publicUri, "/items")).isEqualTo(429);

    Files.writeString(file, "this is not toml = = =");
    new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor();
    await("the refused reload counted; output: " + output)
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                body(adminUri, "/metrics")
                    .contains("sluice_gateway_reloads_total{result=\"refused\"} 1.0"));
    assertThat(body(adminUri, "/admin/config")).contains("\"version\":2");
    assertThat(get(publicUri, "/items")).isEqualTo(429);
    assertThat(output).anyMatch(line -> line.contains("request refused by rate limit"));

    process.destroy(); // SIGTERM
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("output: %s", output).isTrue();
  }
}
