package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.RedisServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spec's US5 with three {@code sluice gateway} processes on one real Redis: one budget per
 * client across all three, and the survivors go on when one is SIGKILLed.
 */
class GatewayRedisProcessIT {
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

  @Test
  void fortyThirtyFiveAndTwentyFivePassTheHundredAndFirstFailsOnAnyAndTwoGoOnAfterAKill()
      throws Exception {
    String tables =
        GatewayToml.perDay(100)
            + GatewayToml.redis(redis.port(), "closed", "1s")
            + "\n[identity]\ntrusted-proxies = [\"127.0.0.1/32\"]\n";
    gateways =
        GatewayProcess.startAll(
            "gateway",
            List.of(
                GatewayToml.write(dir.resolve("a.toml"), upstream.uri(), tables),
                GatewayToml.write(dir.resolve("b.toml"), upstream.uri(), tables),
                GatewayToml.write(dir.resolve("c.toml"), upstream.uri(), tables)));
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
}
