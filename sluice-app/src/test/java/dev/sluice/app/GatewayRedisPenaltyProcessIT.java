package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.testkit.RedisServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spec's US5 penalty clause with two {@code sluice gateway} processes on one real Redis: a
 * client penalized through gateway A is refused by gateway B with the penalty's Retry-After, a
 * reload of B keeps it, and it ends when its cooldown is over.
 */
class GatewayRedisPenaltyProcessIT {
  private static final Duration COOLDOWN = Duration.ofSeconds(3);
  private static final String PENALTY =
      """

      [penalty]
      threshold = 2
      window = "1m"
      cooldown = "3s"
      multiplier = 2
      max-cooldown = "1m"
      reset-after = "1m"
      """;

  @TempDir Path dir;
  private RedisServer redis;
  private TestUpstream upstream;
  private List<GatewayProcess> gateways = List.of();

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
    upstream = new TestUpstream();
  }

  @AfterEach
  void stop() throws Exception {
    gateways.forEach(GatewayProcess::close);
    upstream.close();
    redis.close();
  }

  private static boolean penalized(HttpResponse<String> response) {
    return response.statusCode() == 429 && response.body().contains("Repeated violations");
  }

  private static long retryAfter(HttpResponse<String> response) {
    return Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
  }

  @Test
  void aClientPenalizedThroughOneGatewayIsRefusedByAnotherUntilThePenaltyEnds() throws Exception {
    String tables =
        GatewayToml.perDay(2)
            + GatewayToml.redis(redis.port(), "closed", "1s")
            + "\n[identity]\ntrusted-proxies = [\"127.0.0.1/32\"]\n"
            + PENALTY;
    gateways =
        GatewayProcess.startAll(
            "gateway",
            List.of(
                GatewayToml.write(dir.resolve("a.toml"), upstream.uri(), tables),
                GatewayToml.write(dir.resolve("b.toml"), upstream.uri(), tables)));
    GatewayProcess a = gateways.get(0);
    GatewayProcess b = gateways.get(1);
    String client = "203.0.113.9";

    assertThat(a.passed("/items", 2, client)).as("%s", a).isEqualTo(2);
    HttpResponse<String> first = a.get("/items", client);
    assertThat(first.statusCode()).as("%s", a).isEqualTo(429);
    assertThat(penalized(first)).isFalse();
    long startedBefore = System.nanoTime();
    HttpResponse<String> second = a.get("/items", client);
    assertThat(second.statusCode()).as("%s", a).isEqualTo(429);
    assertThat(second.body()).contains("\"penalty-level\":1");

    HttpResponse<String> onB = b.get("/items", client);
    assertThat(penalized(onB)).as("%s: %s", b, onB.body()).isTrue();
    assertThat(retryAfter(onB)).isBetween(1L, COOLDOWN.toSeconds());
    assertThat(onB.body())
        .contains("\"penalty-level\":1")
        .contains("\"retry-after\":" + retryAfter(onB));

    // a reload of B keeps its enforcer, and so the penalties in Redis
    assertThat(b.postReload().statusCode()).as("%s", b).isEqualTo(200);
    HttpResponse<String> afterReload = b.get("/items", client);
    assertThat(penalized(afterReload) || System.nanoTime() - startedBefore >= COOLDOWN.toNanos())
        .as("%s: %s", b, afterReload.body())
        .isTrue();

    // another client on B is not touched by it
    assertThat(b.passed("/items", 2, "203.0.113.10")).as("%s", b).isEqualTo(2);

    await()
        .atMost(COOLDOWN.plusSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !penalized(b.get("/items", client)));
    // the penalty is over on Redis' clock (this machine's): not before its cooldown
    assertThat(Duration.ofNanos(System.nanoTime() - startedBefore))
        .isGreaterThanOrEqualTo(COOLDOWN.minusMillis(100));
    // still over its quota: refused by the limit again, on A as well, and no longer penalized
    HttpResponse<String> later = a.get("/items", client);
    assertThat(later.statusCode()).isEqualTo(429);
    assertThat(b.sum("sluice_ratelimit_penalized_total")).as("%s", b).isPositive();
  }
}
