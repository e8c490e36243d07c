package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.ratelimit.Limit;
import dev.sluice.testkit.RedisNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One master, one replica, one sentinel. Mid-run the replica is promoted — after the master dies,
 * or by an operator's {@code SENTINEL FAILOVER}; the store finds the new master through the
 * sentinel, decisions continue, and the counters the replica had received are kept.
 */
class SentinelIT {
  private static final String MASTER = "limits";
  private static final List<Limit> LIMITS = List.of(Limit.of("per-hour", 100, Duration.ofHours(1)));

  private RedisNode master;
  private RedisNode replica;
  private RedisNode sentinel;
  private RedisClient admin;
  private RedisCommands<String, String> sentinelCommands;

  @BeforeEach
  void startTopology() {
    master = RedisNode.start();
    replica = RedisNode.start("--replicaof", master.host(), master.portText());
    sentinel =
        RedisNode.sentinel(
            "sentinel monitor " + MASTER + " " + master.host() + " " + master.port() + " 1",
            "sentinel down-after-milliseconds " + MASTER + " 1000",
            "sentinel failover-timeout " + MASTER + " 5000");
    admin = RedisClient.create(sentinel.uri());
    StatefulRedisConnection<String, String> connection = admin.connect();
    sentinelCommands = connection.sync();
    // the sentinel learns of the replica from the master's INFO
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !sentinelCommands
                    .dispatch(
                        CommandType.SENTINEL,
                        new ArrayOutput<>(StringCodec.UTF8),
                        new CommandArgs<>(StringCodec.UTF8).add("replicas").add(MASTER))
                    .isEmpty());
  }

  @AfterEach
  void stopAll() {
    if (admin != null) {
      admin.shutdown();
    }
    for (RedisNode node : new RedisNode[] {sentinel, replica, master}) {
      if (node != null) {
        node.stop();
      }
    }
  }

  private RedisStore store() {
    return RedisStore.create(
        RedisStoreConfig.builder()
            .sentinel(MASTER, List.of(sentinel.endpoint()))
            .commandTimeout(Duration.ofMillis(200))
            .reconnectDelayMax(Duration.ofMillis(200))
            .onFailure(FailureMode.FALLBACK)
            .breaker(
                CircuitBreakerConfig.builder()
                    .consecutiveFailures(3)
                    .openDelay(Duration.ofMillis(200))
                    .maxOpenDelay(Duration.ofMillis(500))
                    .build())
            .build());
  }

  @Test
  void decisionsContinueAfterTheMasterDiesAndTheSentinelPromotesTheReplica() throws Exception {
    runThroughFailover("master killed", () -> master.kill());
  }

  @Test
  void decisionsContinueAfterAnOperatorsFailoverDemotesTheMaster() throws Exception {
    runThroughFailover(
        "SENTINEL FAILOVER",
        () ->
            sentinelCommands.dispatch(
                CommandType.SENTINEL,
                new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("failover").add(MASTER)));
  }

  private void runThroughFailover(String what, Runnable failover) throws Exception {
    try (RedisStore store = store()) {
      for (int i = 0; i < 40; i++) {
        assertThat(store.decideWithOrigin("kept", LIMITS, 1, System.nanoTime()).origin())
            .isEqualTo(RedisDecision.Origin.REDIS);
      }
      // the replica has every write before the failover
      try (RedisClient direct = RedisClient.create(master.uri());
          StatefulRedisConnection<String, String> connection = direct.connect()) {
        assertThat(connection.sync().waitForReplication(1, 2_000)).isEqualTo(1);
      }
      String before = sentinelMasterPort();

      AtomicBoolean running = new AtomicBoolean(true);
      Map<RedisDecision.Origin, AtomicLong> origins = new ConcurrentHashMap<>();
      long failedOverAt;
      try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
        Future<?>[] loops = new Future<?>[4];
        for (int t = 0; t < 4; t++) {
          int thread = t;
          loops[t] =
              pool.submit(
                  () -> {
                    int i = 0;
                    while (running.get()) {
                      RedisDecision decision =
                          store.decideWithOrigin(
                              "busy-" + thread + "-" + (i++ % 50), LIMITS, 1, System.nanoTime());
                      origins
                          .computeIfAbsent(decision.origin(), o -> new AtomicLong())
                          .incrementAndGet();
                    }
                    return null;
                  });
        }
        await().until(() -> count(origins, RedisDecision.Origin.REDIS) > 200);
        failedOverAt = System.nanoTime();
        failover.run();
        await().atMost(Duration.ofSeconds(30)).until(() -> !sentinelMasterPort().equals(before));
        long promoted = System.nanoTime() - failedOverAt;
        long redisAtPromotion = count(origins, RedisDecision.Origin.REDIS);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> count(origins, RedisDecision.Origin.REDIS) > redisAtPromotion + 200);
        long back = System.nanoTime() - failedOverAt;
        running.set(false);
        for (Future<?> loop : loops) {
          loop.get();
        }
        System.out.printf(
            "sentinel failover (%s): replica promoted after %d ms, 200 more Redis decisions"
                + " %d ms after the failover began; origins %s%n",
            what, promoted / 1_000_000, back / 1_000_000, origins);
      }
      assertThat(sentinelMasterPort()).isEqualTo(replica.portText());
      // the promoted replica kept the counters: 40 of 100 used before, one more now
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  store.decideWithOrigin("probe", LIMITS, 1, System.nanoTime()).origin()
                      == RedisDecision.Origin.REDIS);
      RedisDecision after = store.decideWithOrigin("kept", LIMITS, 1, System.nanoTime());
      assertThat(after.origin()).isEqualTo(RedisDecision.Origin.REDIS);
      assertThat(after.decision().remaining(0)).isEqualTo(59);
    }
  }

  private String sentinelMasterPort() {
    List<Object> address =
        sentinelCommands.dispatch(
            CommandType.SENTINEL,
            new ArrayOutput<>(StringCodec.UTF8),
            new CommandArgs<>(StringCodec.UTF8).add("get-master-addr-by-name").add(MASTER));
    return String.valueOf(address.get(1));
  }

  private static long count(Map<RedisDecision.Origin, AtomicLong> origins, RedisDecision.Origin o) {
    AtomicLong n = origins.get(o);
    return n == null ? 0 : n.get();
  }
}
