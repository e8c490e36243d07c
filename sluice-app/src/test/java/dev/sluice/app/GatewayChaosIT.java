package dev.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.testkit.RedisServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos under load, each case against a {@code sluice gateway} process of its own (all four started
 * at once): Redis killed and restarted, the Sentinel master killed, the upstream killed, the
 * configuration file replaced with garbage. Four virtual-thread clients send back to back while it
 * happens; every request has a client timeout, so one that hangs is an answer of {@code -1}, never
 * a stuck test.
 */
class GatewayChaosIT {
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(100);

  /** How late an answer may be beyond the command timeout on a loaded 2-core machine. */
  private static final Duration SLACK = Duration.ofSeconds(2);

  private static final String UNLIMITED = GatewayToml.perDay(1_000_000_000);
  private static final int UPSTREAM_QUOTA = 2_000;

  @TempDir static Path dir;
  private static RedisServer redis;
  private static SentinelTopology sentinels;
  private static TestUpstream upstream;
  private static TestUpstream doomedUpstream;
  private static List<GatewayProcess> gateways = List.of();
  private static GatewayProcess onRedis;
  private static GatewayProcess onSentinel;
  private static GatewayProcess beforeDoomed;
  private static GatewayProcess reloading;
  private static Path reloadingFile;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    sentinels = new SentinelTopology();
    upstream = new TestUpstream();
    doomedUpstream = new TestUpstream();
    String sentinelStore =
        """
        [store]
        kind = "redis"
        sentinel-master = "%s"
        sentinels = ["%s"]
        fail-mode = "closed"
        command-timeout = "%dms"
        breaker-open-delay = "200ms"
        reconnect-delay-max = "100ms"
        """
            .formatted(
                SentinelTopology.MASTER, sentinels.sentinel.endpoint(), COMMAND_TIMEOUT.toMillis());
    reloadingFile = GatewayToml.write(dir.resolve("reloading.toml"), upstream.uri(), UNLIMITED);
    gateways =
        GatewayProcess.startAll(
            "chaos",
            List.of(
                GatewayToml.write(
                    dir.resolve("redis.toml"),
                    upstream.uri(),
                    UNLIMITED
                        + GatewayToml.redis(
                            redis.port(), "closed", COMMAND_TIMEOUT.toMillis() + "ms")),
                GatewayToml.write(
                    dir.resolve("sentinel.toml"), upstream.uri(), UNLIMITED + sentinelStore),
                GatewayToml.write(
                    dir.resolve("doomed.toml"),
                    doomedUpstream.uri(),
                    GatewayToml.perDay(UPSTREAM_QUOTA)),
                reloadingFile));
    onRedis = gateways.get(0);
    onSentinel = gateways.get(1);
    beforeDoomed = gateways.get(2);
    reloading = gateways.get(3);
  }

  @AfterAll
  static void stop() throws Exception {
    gateways.forEach(GatewayProcess::close);
    for (AutoCloseable each : new AutoCloseable[] {doomedUpstream, upstream, sentinels, redis}) {
      if (each != null) {
        each.close();
      }
    }
  }

  private static URI items(GatewayProcess gateway) {
    return gateway.publicUri().resolve("/items");
  }

  private static String summary(List<Load.Answer> answers, GatewayProcess gateway) {
    return Load.byStatus(answers)
        + ", slowest "
        + Load.slowest(answers).toMillis()
        + " ms; "
        + gateway;
  }

  @Test
  void redisKilledUnderLoadEveryRequestIsRefusedFailClosedAtOnceAndRedisDecidesAgainAfterRestart()
      throws Exception {
    GatewayProcess gateway = onRedis;
    Load load = Load.start(4, items(gateway), CLIENT_TIMEOUT);
    long killed;
    long restarting;
    long restarted;
    List<Load.Answer> answers;
    try {
      await("load decided by Redis")
          .atMost(Duration.ofSeconds(30))
          .until(() -> load.count(200) >= 200);
      redis.kill();
      killed = Load.TIME.nanoTime();
      await("fail-closed answers and the breaker open; " + gateway)
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  load.count(a -> a.start() > killed && a.status() == 429) >= 200
                      && gateway.sum("sluice_redis_breaker_transitions_total", "to=\"open\"") >= 1);
      var notReady = gateway.admin("/readyz");
      assertThat(notReady.statusCode()).as(notReady.body()).isEqualTo(503);
      restarting = Load.TIME.nanoTime();
      redis.restart();
      restarted = Load.TIME.nanoTime();
      await("Redis decides again after the restart; " + gateway)
          .atMost(Duration.ofSeconds(60))
          .until(() -> load.count(a -> a.start() > restarted && a.status() == 200) >= 200);
    } finally {
      answers = load.stop();
    }
    String why = summary(answers, gateway);
    assertThat(answers).as(why).noneMatch(a -> a.status() == -1);
    assertThat(Load.byStatus(answers).keySet()).as(why).isSubsetOf(Set.of(200, 429));
    List<Load.Answer> outage =
        answers.stream().filter(a -> a.start() > killed && a.end() < restarting).toList();
    assertThat(outage).as(why).isNotEmpty().allMatch(a -> a.status() == 429);
    Duration bound = COMMAND_TIMEOUT.plus(SLACK);
    assertThat(Load.slowest(outage)).as(why).isLessThan(bound);
    assertThat(outage)
        .allMatch(a -> a.contentType().startsWith("application/problem+json"), "problem+json");
    Load.Answer back =
        answers.stream()
            .filter(a -> a.start() > restarted && a.status() == 200)
            .min(Comparator.comparingLong(Load.Answer::end))
            .orElseThrow();
    assertThat(gateway.sum("sluice_redis_decisions_total", "origin=\"fail_closed\""))
        .isGreaterThanOrEqualTo(outage.size());
    assertThat(gateway.admin("/readyz").statusCode()).isEqualTo(200);
    System.out.printf(
        "chaos: redis killed under load: %d answers while it was down, all 429 fail-closed,"
            + " slowest %d ms (bound %d ms); Redis decided again %d ms after the restart; %s%n",
        outage.size(),
        Load.slowest(outage).toMillis(),
        bound.toMillis(),
        (back.end() - restarted) / 1_000_000,
        Load.byStatus(answers));
  }

  @Test
  void sentinelMasterKilledUnderLoadTheNewMasterDecidesAfterAShortDisruption() throws Exception {
    GatewayProcess gateway = onSentinel;
    String before = sentinels.masterPort();
    Load load = Load.start(4, items(gateway), CLIENT_TIMEOUT);
    long killed;
    long promoted;
    List<Load.Answer> answers;
    try {
      await("load decided by the master")
          .atMost(Duration.ofSeconds(30))
          .until(() -> load.count(200) >= 200);
      sentinels.master.kill();
      killed = Load.TIME.nanoTime();
      await("the sentinel promotes the replica")
          .atMost(Duration.ofSeconds(30))
          .until(() -> !sentinels.masterPort().equals(before));
      promoted = Load.TIME.nanoTime();
      await("decisions from the new master; " + gateway)
          .atMost(Duration.ofSeconds(60))
          .until(() -> load.count(a -> a.start() > killed && a.status() == 200) >= 200);
    } finally {
      answers = load.stop();
    }
    String why = summary(answers, gateway);
    assertThat(answers).as(why).noneMatch(a -> a.status() == -1);
    assertThat(Load.byStatus(answers).keySet()).as(why).isSubsetOf(Set.of(200, 429));
    // the old master is dead: a 200 to a request sent after the kill came from the new master
    Load.Answer first =
        answers.stream()
            .filter(a -> a.start() > killed && a.status() == 200)
            .min(Comparator.comparingLong(Load.Answer::end))
            .orElseThrow();
    long disruptionMs = (first.end() - killed) / 1_000_000;
    List<Load.Answer> failMode = answers.stream().filter(a -> a.status() == 429).toList();
    long afterFirst = failMode.stream().filter(a -> a.end() > first.end()).count();
    System.out.printf(
        "chaos: sentinel master killed under load: first decision from the new master %d ms after"
            + " the kill (sentinel promoted the replica after %d ms); %d fail-mode answers (429),"
            + " %d of them after that first decision; slowest answer %d ms; %s%n",
        disruptionMs,
        (promoted - killed) / 1_000_000,
        failMode.size(),
        afterFirst,
        Load.slowest(answers).toMillis(),
        Load.byStatus(answers));
    assertThat(disruptionMs).as(why).isLessThan(30_000);
    assertThat(Load.slowest(answers)).as(why).isLessThan(CLIENT_TIMEOUT);
    assertThat(sentinels.masterPort()).isEqualTo(sentinels.replica.portText());
  }

  @Test
  void upstreamKilledUnderLoadAnswers502AndTheLimitCountsOnTo429() throws Exception {
    GatewayProcess gateway = beforeDoomed;
    Load load = Load.start(4, items(gateway), CLIENT_TIMEOUT);
    long stopped;
    List<Load.Answer> answers;
    try {
      await("load through the upstream")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> load.count(200) >= 100);
      doomedUpstream.stop();
      stopped = Load.TIME.nanoTime();
      await("the quota spent on 502s, then 429; " + gateway)
          .atMost(Duration.ofSeconds(60))
          .until(() -> load.count(429) >= 100);
    } finally {
      answers = load.stop();
    }
    String why = summary(answers, gateway);
    assertThat(answers).as(why).noneMatch(a -> a.status() == -1);
    assertThat(Load.byStatus(answers).keySet()).as(why).isSubsetOf(Set.of(200, 429, 502));
    List<Load.Answer> bad = answers.stream().filter(a -> a.status() == 502).toList();
    assertThat(bad).as(why).isNotEmpty();
    assertThat(bad).allMatch(a -> a.contentType().startsWith("application/problem+json"));
    assertThat(answers).as(why).noneMatch(a -> a.start() > stopped && a.status() == 200);
    // 502s count like any admitted request: exactly the quota was admitted, then 429
    long admitted = answers.stream().filter(a -> a.status() != 429).count();
    assertThat(admitted).as(why).isEqualTo(UPSTREAM_QUOTA);
    assertThat(gateway.sum("sluice_ratelimit_decisions_total", "outcome=\"allowed\""))
        .isEqualTo(UPSTREAM_QUOTA);
    System.out.printf(
        "chaos: upstream killed under load: %d answers of 502, admitted %d = quota; %s%n",
        bad.size(), admitted, Load.byStatus(answers));
  }

  @Test
  void configurationReplacedWithGarbageUnderLoadKeepsTheOldOneAndNoRequestFails() throws Exception {
    GatewayProcess gateway = reloading;
    String valid = Files.readString(reloadingFile);
    List<String> garbage =
        List.of(
            "this is not toml = = =",
            "",
            "[gateway]\nlisten = 42\n",
            valid.replace("quota = 1000000000", "quota = -1"));
    Load load = Load.start(4, items(gateway), CLIENT_TIMEOUT);
    List<Load.Answer> answers;
    try {
      await("load through the gateway")
          .atMost(Duration.ofSeconds(30))
          .until(() -> load.count(200) >= 100);
      int refused = 0;
      for (String text : garbage) {
        Files.writeString(reloadingFile, text);
        gateway.hangUp();
        int expected = ++refused;
        await("refused reload " + expected + "; " + gateway)
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    gateway.sum("sluice_gateway_reloads_total", "result=\"refused\"") == expected);
        var answer = gateway.postReload();
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
        assertThat(answer.body()).contains("version 1 stays in force");
        refused++;
      }
      long before = load.count(200);
      await("more load after the refusals")
          .atMost(Duration.ofSeconds(30))
          .until(() -> load.count(200) >= before + 100);
      Files.writeString(reloadingFile, valid);
      var applied = gateway.postReload();
      assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
      long after = load.count(200);
      await("load after the reload")
          .atMost(Duration.ofSeconds(30))
          .until(() -> load.count(200) >= after + 100);
    } finally {
      answers = load.stop();
    }
    String why = summary(answers, gateway);
    assertThat(answers).as(why).isNotEmpty().allMatch(a -> a.status() == 200);
    assertThat(gateway.admin("/admin/config").body()).contains("\"version\":2");
    assertThat(gateway.sum("sluice_gateway_reloads_total", "result=\"refused\""))
        .isEqualTo(2 * garbage.size());
    assertThat(gateway.sum("sluice_gateway_reloads_total", "result=\"applied\"")).isEqualTo(1);
    assertThat(
            gateway.output().stream()
                .filter(l -> l.contains("configuration reload refused"))
                .collect(Collectors.toList()))
        .hasSize(2 * garbage.size());
  }
}
