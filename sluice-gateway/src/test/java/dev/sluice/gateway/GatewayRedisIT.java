package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
    int port = upstream.port();
    Gateway gateway =
        Gateway.of(
                GatewayConfigLoader.parse(
                    """
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
                    """
                        .formatted(port, redis.port()),
                    Map.of()))
            .start();
    gateways.add(gateway);
    return gateway;
  }

  private int get(Gateway gateway) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(gateway.publicUri().resolve("/items")).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
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
