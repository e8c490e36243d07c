package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.ratelimit.Limit;
import dev.sluice.testkit.RedisNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
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
import org.junit.jupiter.api.Test;

/**
 * One master, one replica, one sentinel. The master dies mid-run; the sentinel promotes the
 * replica; the store finds the new master through the sentinel and decisions continue, with the
 * counters the replica had received.
 */
class SentinelIT {
  private static final String MASTER = "limits";

  private RedisNode master;
  private RedisNode replica;
  private RedisNode sentinel;
  private RedisClient admin;

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

  @Test
  void decisionsContinueAfterTheSentinelPromotesTheReplica() throws Exception {
    master = RedisNode.start();
    replica = RedisNode.start("--replicaof", master.host(), master.portText());
    sentinel =
        RedisNode.sentinel(
            "sentinel monitor " + MASTER + " " + master.host() + " " + master.port() + " 1",
            "sentinel down-after-milliseconds " + MASTER + " 1000",
            "sentinel failover-timeout " + MASTER + " 5000");
    admin = RedisClient.create(sentinel.uri());
    StatefulRedisConnection<String, String> sentinelConnection = admin.connect();
    RedisCommands<String, String> sentinelCommands = sentinelConnection.sync();
    // the sentinel learns of the replica from the master's INFO
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !sentinelCommands
                    .dispatch(
                        io.lettuce.core.protocol.CommandType.SENTINEL,
                        new io.lettuce.core.output.ArrayOutput<>(
                            io.lettuce.core.codec.StringCodec.UTF8),
                        new io.lettuce.core.protocol.CommandArgs<>(
                                io.lettuce.core.codec.StringCodec.UTF8)
                            .add("replicas")
                            .add(MASTER))
                    .isEmpty());

    List<Limit> limits = List.of(Limit.of("per-hour", 100, Duration.ofHours(1)));
    try (RedisStore store =
        RedisStore.create(
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
                .build())) {
      for (int i = 0; i < 40; i++) {
        assertThat(store.decideWithOrigin("kept", limits, 1, System.nanoTime()).origin())
            .isEqualTo(RedisDecision.Origin.REDIS);
      }
      // the replica has every write before the failover
      try (RedisClient direct = RedisClient.create(master.uri());
          StatefulRedisConnection<String, String> connection = direct.connect()) {
        assertThat(connection.sync().waitForReplication(1, 2_000)).isEqualTo(1);
      }

      AtomicBoolean running = new AtomicBoolean(true);
      Map<RedisDecision.Origin, AtomicLong> origins = new ConcurrentHashMap<>();
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
                              "busy-" + thread + "-" + (i++ % 50), limits, 1, System.nanoTime());
                      origins
                          .computeIfAbsent(decision.origin(), o -> new AtomicLong())
                          .incrementAndGet();
                    }
                    return null;
                  });
        }
        await().until(() -> count(origins, RedisDecision.Origin.REDIS) > 200);
        long killedAt = System.nanoTime();
        master.kill();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> count(origins, RedisDecision.Origin.FALLBACK) > 0);
        long redisBefore = count(origins, RedisDecision.Origin.REDIS);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> count(origins, RedisDecision.Origin.REDIS) > redisBefore + 200);
        long back = System.nanoTime() - killedAt;
        running.set(false);
        for (Future<?> loop : loops) {
          loop.get();
        }
        System.out.printf(
            "sentinel failover: decisions from Redis again %d ms after the master was killed;"
                + " origins %s%n",
            back / 1_000_000, origins);
      }
      // the promoted replica kept the counters: 40 of 100 used before, one more now
      RedisDecision after = store.decideWithOrigin("kept", limits, 1, System.nanoTime());
      assertThat(after.origin()).isEqualTo(RedisDecision.Origin.REDIS);
      assertThat(after.decision().remaining(0)).isEqualTo(59);
    }
  }

  private static long count(Map<RedisDecision.Origin, AtomicLong> origins, RedisDecision.Origin o) {
    AtomicLong n = origins.get(o);
    return n == null ? 0 : n.get();
  }
}
