package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.testkit.RedisServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /readyz} follows the store: memory, Redis reachable, Redis gone in each fail mode. */
class ReadinessIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static Upstream upstream;

  @BeforeAll
  static void startUpstream() throws Exception {
    upstream = new Upstream();
  }

  @AfterAll
  static void stopUpstream() throws Exception {
    upstream.close();
  }

  private static Gateway gateway(String store) {
    return Gateway.of(
            GatewayConfigLoader.parse(
                """
                [gateway]
                listen = "127.0.0.1:0"
                upstream = "%s"

                [admin]
                listen = "127.0.0.1:0"

                [store]
                %s

                [[defaults.limits]]
                id = "per-day"
                quota = 100
                window = "1d"
                """
                    .formatted(upstream.uri(), store),
                Map.of()))
        .start();
  }

  private static String redis(RedisServer redis, String failMode) {
    return """
        kind = "redis"
        endpoint = "127.0.0.1:%d"
        fail-mode = "%s"
        command-timeout = "200ms"
        """
        .formatted(redis.port(), failMode);
  }

  private record Ready(int status, JsonNode body) {}

  private static Ready readyz(Gateway gateway) throws Exception {
    HttpResponse<String> response =
        CLIENT.send(
            HttpRequest.newBuilder(gateway.adminUri().resolve("/readyz"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new Ready(response.statusCode(), JSON.readTree(response.body()));
  }

  @Test
  void aMemoryGatewayIsReadyUntilItShutsDown() throws Exception {
    Gateway gateway = gateway("kind = \"memory\"");
    try {
      Ready ready = readyz(gateway);
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.body().get("status").asText()).isEqualTo("ready");
      assertThat(ready.body().get("store").asText()).isEqualTo("memory");
    } finally {
      gateway.close();
    }
    assertThat(gateway.readiness().status()).isEqualTo(503);
    assertThat(gateway.readiness().body()).contains("shutting down");
  }

  @Test
  void failClosedIsNotReadyWhileRedisIsGoneAndReadyAgainWhenItIsBack() throws Exception {
    try (RedisServer redis = RedisServer.start();
        Gateway gateway = gateway(redis(redis, "closed"))) {
      Ready up = readyz(gateway);
      assertThat(up.status()).as("%s", up.body()).isEqualTo(200);
      assertThat(up.body().get("redis").asText()).isEqualTo("reachable");
      assertThat(up.body().get("fail_mode").asText()).isEqualTo("closed");

      redis.kill();
      Ready down = readyz(gateway);
      assertThat(down.status()).as("%s", down.body()).isEqualTo(503);
      assertThat(down.body().get("status").asText()).isEqualTo("not ready");
      assertThat(down.body().get("redis").asText()).isEqualTo("unreachable");
      assertThat(down.body().get("reason").asText()).contains("fail-mode is closed");

      redis.restart();
      await("ready after the restart")
          .atMost(Duration.ofSeconds(30))
          .until(() -> readyz(gateway).status() == 200);
    }
  }

  @Test
  void failOpenAndFallbackStayReadyWithoutRedisAndSayWhy() throws Exception {
    for (String mode : new String[] {"open", "fallback"}) {
      try (RedisServer redis = RedisServer.start();
          Gateway gateway = gateway(redis(redis, mode))) {
        redis.kill();
        Ready down = readyz(gateway);
        assertThat(down.status()).as("%s: %s", mode, down.body()).isEqualTo(200);
        assertThat(down.body().get("redis").asText()).isEqualTo("unreachable");
        assertThat(down.body().get("fail_mode").asText()).isEqualTo(mode);
        assertThat(down.body().get("reason").asText()).contains("fail-mode " + mode);
      }
    }
  }
}
