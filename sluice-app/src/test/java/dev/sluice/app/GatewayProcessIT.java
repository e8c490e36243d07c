package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice gateway} as a real process, in front of a real upstream, over HTTP: the spec's US4
 * (limit 100, edit to 200, SIGHUP, counters kept; invalid edits refused) and a graceful SIGTERM.
 */
class GatewayProcessIT {
  private TestUpstream upstream;
  private GatewayProcess gateway;
  @TempDir Path dir;

  @BeforeEach
  void startUpstream() throws Exception {
    upstream = new TestUpstream();
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    upstream.close();
  }

  private Path write(long quota) throws Exception {
    return GatewayToml.write(
        dir.resolve("gateway.toml"), upstream.uri(), GatewayToml.perDay(quota));
  }

  private String refusedReloads() throws Exception {
    return gateway
        .metrics()
        .lines()
        .filter(l -> l.startsWith("sluice_gateway_reloads_total{result=\"refused\"}"))
        .findFirst()
        .orElse("none");
  }

  @Test
  void limitsReloadOnSighupKeepingCountersRefuseInvalidEditsAndStopGracefullyOnSigterm()
      throws Exception {
    Path file = write(100);
    gateway = GatewayProcess.start("gateway", file);

    assertThat(gateway.passed("/items", 100)).as("%s", gateway).isEqualTo(100);
    assertThat(gateway.get("/items").statusCode()).isEqualTo(429);

    write(200);
    gateway.hangUp();
    await("version 2 after SIGHUP; " + gateway)
        .atMost(Duration.ofSeconds(30))
        .until(() -> gateway.admin("/admin/config").body().contains("\"version\":2"));

    // the 100 charged before count against the new 200: exactly 100 more pass
    assertThat(gateway.passed("/items", 101)).as("%s", gateway).isEqualTo(100);
    assertThat(gateway.get("/items").statusCode()).isEqualTo(429);

    // an invalid edit: refused, logged naming the key, counted; 200 and its counters stay
    Files.writeString(file, Files.readString(file).replace("quota = 200", "quota = 0"));
    gateway.hangUp();
    await("the refused reload counted; " + gateway)
        .atMost(Duration.ofSeconds(30))
        .until(() -> refusedReloads().endsWith(" 1.0"));
    assertThat(gateway.output())
        .anyMatch(l -> l.contains("configuration reload refused") && l.contains("quota"));
    Files.writeString(file, "this is not toml = = =");
    var refused = gateway.postReload();
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body()).contains("version 2 stays in force");
    assertThat(refusedReloads()).endsWith(" 2.0");
    assertThat(gateway.admin("/admin/config").body()).contains("\"version\":2");
    assertThat(gateway.get("/items").statusCode()).isEqualTo(429);
    assertThat(gateway.metric("sluice_gateway_reloads_total{result=\"applied\"}")).isEqualTo(1);

    assertThat(gateway.terminate()).as("exit code after SIGTERM; %s", gateway).isZero();
    assertThat(gateway.output()).anyMatch(l -> l.contains("request refused by rate limit"));
  }
}
