package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three gateways on one real Redis share one budget per client (spec US5). */
class GatewayRedisIT {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Gateway> gateways = new ArrayList<>();
  private RedisServer redis;
  private Upstream upstream;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
    upstream = new Upstream();
  }

  @AfterEach
  void stop() throws Exception {
    gateways.forEach(Gateway::close);
    upstream.close();
    redis.close();
  }

  private Gateway gateway() {
    return gateway("");
  }

  private String toml(String extra) {
    return """
                    [gateway]
                    listen = "127.0.0.1:0"
                    upstream = "http://127.0.0.1:%d"

                    [admin]
                    listen = "127.0.0.1:0"

                    [store]
                    kind = "redis"
                    endpoint = "127.0.0.1:%d"
                    fail-mode = "closed"
                    command-timeout = "2s"

                    # a day's window: no permit comes back while the test runs
                    [[defaults.limits]]
                    id = "per-day"
                    quota = 100
                    window = "1d"
                    %s
                    """
        .formatted(upstream.port(), redis.port(), extra);
  }

  private Gateway gateway(String extra) {
    Gateway gateway = Gateway.of(GatewayConfigLoader.parse(toml(extra), Map.of())).start();
    gateways.add(gateway);
    return gateway;
  }

  private int get(Gateway gateway) throws Exception {
    return send(gateway).statusCode();
  }

  private HttpResponse<String> send(Gateway gateway) throws Exception {
    return client.send(
        HttpRequest.newBuilder(gateway.publicUri().resolve("/items")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aPenaltyStartedOnOneGatewayIsServedByAnotherAndAReloadKeepsIt(@TempDir Path dir)
      throws Exception {
    String penalty =
        """
        [penalty]
        threshold = 2
        cooldown = "1h"
        max-cooldown = "4h"
        """;
    Path file = dir.resolve("a.toml");
    Files.writeString(file, toml(penalty));
    Gateway a = Gateway.fromFile(file, Map.of()).start();
    gateways.add(a);
    Gateway b = gateway(penalty);

    assertThat(passed(a, 100)).isEqualTo(100);
    assertThat(get(a)).isEqualTo(429);
    assertThat(send(a).body()).contains("\"penalty-level\":1");

    HttpResponse<String> onB = send(b);
    assertThat(onB.statusCode()).isEqualTo(429);
    assertThat(onB.body()).contains("Repeated violations").contains("\"penalty-level\":1");
    assertThat(Long.parseLong(onB.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(3_000L, 3_600L);

    // a reload puts the new policy in force on the same enforcer and the same penalties
    Files.writeString(file, toml(penalty.replace("threshold = 2", "threshold = 3")));
    assertThat(a.reload()).isEqualTo(2);
    HttpResponse<String> afterReload = send(a);
    assertThat(afterReload.body()).contains("Repeated violations").contains("\"penalty-level\":1");
    assertThat(a.limiter().enforcer().penaltyStore().toString()).startsWith("RedisPenaltyStore");
  }

  private int passed(Gateway gateway, int requests) throws Exception {
    int ok = 0;
    for (int i = 0; i < requests; i++) {
      if (get(gateway) == 200) {
        ok++;
      }
    }
    return ok;
  }

  @Test
  void fortyThirtyFiveAndTwentyFivePassAndTheHundredAndFirstFailsOnAny() throws Exception {
    Gateway a = gateway();
    Gateway b = gateway();
    Gateway c = gateway();

    assertThat(passed(a, 40)).isEqualTo(40);
    assertThat(passed(b, 35)).isEqualTo(35);
    assertThat(passed(c, 25)).isEqualTo(25);

    assertThat(get(a)).isEqualTo(429);
    assertThat(get(b)).isEqualTo(429);
    assertThat(get(c)).isEqualTo(429);

    // one gateway gone, the others go on with the same budget
    a.close();
    assertThat(get(b)).isEqualTo(429);
    assertThat(get(c)).isEqualTo(429);
    URI metrics = b.adminUri().resolve("/metrics");
    String scrape =
        client
            .send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(scrape)
        .contains("sluice_redis_decisions_total{origin=\"redis\",store=\"redis\"}")
        .contains(
            "sluice_redis_command_duration_seconds_count{outcome=\"success\",store=\"redis\"}");
  }
}
