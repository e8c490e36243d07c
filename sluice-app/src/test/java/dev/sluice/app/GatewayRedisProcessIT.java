package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.testkit.RedisServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spec's US5 with {@code sluice gateway} processes on one real Redis: one budget per client
 * across three, the survivors go on when one is SIGKILLed, and a client penalized through one
 * gateway is refused by another with the penalty's Retry-After until its cooldown ends (a reload
 * keeps the penalty).
 */
class GatewayRedisProcessIT {
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

  /** One gateway process per name, each with its own copy of the same tables. */
  private List<GatewayProcess> startGateways(String tables, String... names) throws Exception {
    List<Path> files = new ArrayList<>();
    for (String name : names) {
      files.add(GatewayToml.write(dir.resolve(name + ".toml"), upstream.uri(), tables));
    }
    return GatewayProcess.startAll("gateway", files);
  }

  @Test
  void fortyThirtyFiveAndTwentyFivePassTheHundredAndFirstFailsOnAnyAndTwoGoOnAfterAKill()
      throws Exception {
    String tables =
        GatewayToml.perDay(100)
            + GatewayToml.redis(redis.port(), "closed", "1s")
            + "\n[identity]\ntrusted-proxies = [\"127.0.0.1/32\"]\n";
    gateways = startGateways(tables, "a", "b", "c");
    GatewayProcess a = gateways.get(0);
    GatewayProcess b = gateways.get(1);
    GatewayProcess c = gateways.get(2);
    String one = "203.0.113.1";

    assertThat(a.passed("/items", 40, one)).as("%s", a).isEqualTo(40);
    assertThat(b.passed("/items", 35, one)).as("%s", b).isEqualTo(35);
    assertThat(c.passed("/items", 25, one)).as("%s", c).isEqualTo(25);
    for (GatewayProcess gateway : gateways) {
      assertThat(gateway.get("/items", one).statusCode()).as("%s", gateway).isEqualTo(429);
    }

    b.kill();
    assertThat(a.get("/items", one).statusCode()).isEqualTo(429);
    assertThat(c.get("/items", one).statusCode()).isEqualTo(429);
    // another client: its own budget, still one across the two survivors
    String two = "203.0.113.2";
    assertThat(a.passed("/items", 60, two)).as("%s", a).isEqualTo(60);
    assertThat(c.passed("/items", 40, two)).as("%s", c).isEqualTo(40);
    assertThat(a.get("/items", two).statusCode()).isEqualTo(429);
    assertThat(c.get("/items", two).statusCode()).isEqualTo(429);

    // every request that passed was decided by Redis (refusals may come from the local cache)
    for (GatewayProcess survivor : List.of(a, c)) {
      assertThat(survivor.sum("sluice_redis_decisions_total", "origin=\"redis\""))
          .as("%s", survivor)
          .isGreaterThanOrEqualTo(survivor == a ? 100 : 65);
      assertThat(survivor.sum("sluice_redis_decisions_total", "origin=\"fail_closed\"")).isZero();
      assertThat(survivor.admin("/readyz").body()).contains("\"redis\":\"reachable\"");
    }
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
    gateways = startGateways(tables, "a", "b");
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
