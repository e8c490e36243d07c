package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.ratelimit.Algorithm;
import dev.sluice.ratelimit.Limit;
import dev.sluice.testkit.RedisNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three redis-server processes in cluster mode, slots split by the test. Every script touches one
 * slot thanks to the hash tag, whatever the client key and however many limits it has.
 */
class ClusterIT {
  private static final int NODES = 3;
  private static final List<RedisNode> nodes = new ArrayList<>();
  private static final List<RedisClient> admins = new ArrayList<>();
  private static final List<RedisCommands<String, String>> admin = new ArrayList<>();

  @BeforeAll
  static void formCluster() {
    for (int i = 0; i < NODES; i++) {
      RedisNode node =
          RedisNode.start(
              "--cluster-enabled",
              "yes",
              "--cluster-config-file",
              "nodes.conf",
              "--cluster-node-timeout",
              "2000");
      nodes.add(node);
      RedisClient client = RedisClient.create(node.uri());
      admins.add(client);
      StatefulRedisConnection<String, String> connection = client.connect();
      admin.add(connection.sync());
    }
    int per = 16384 / NODES;
    for (int i = 0; i < NODES; i++) {
      int from = i * per;
      int to = i == NODES - 1 ? 16383 : from + per - 1;
      admin.get(i).clusterSetConfigEpoch(i + 1);
      admin.get(i).clusterAddSlots(IntStream.rangeClosed(from, to).toArray());
    }
    for (int i = 1; i < NODES; i++) {
      admin.get(0).clusterMeet(nodes.get(i).host(), nodes.get(i).port());
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                admin.stream()
                    .allMatch(
                        a ->
                            a.clusterInfo().contains("cluster_state:ok")
                                && a.clusterNodes().lines().count() == NODES));
  }

  @AfterAll
  static void stopCluster() {
    admins.forEach(RedisClient::shutdown);
    nodes.forEach(RedisNode::stop);
  }

  private static RedisStore clusterStore() {
    return RedisStore.create(
        RedisStoreConfig.builder()
            .cluster(nodes.stream().map(RedisNode::endpoint).toList())
            .commandTimeout(Duration.ofSeconds(2))
            .onFailure(FailureMode.FAIL_CLOSED)
            .build());
  }

  @Test
  void everyClientGetsExactlyItsQuotaAcrossAClusterOfThreeNodes() throws Exception {
    List<Limit> limits =
        List.of(
            Limit.of("per-minute", 40, Duration.ofMinutes(1)),
            Limit.builder("per-hour")
                .quota(20)
                .window(Duration.ofHours(1))
                .algorithm(Algorithm.SLIDING_LOG)
                .build(),
            Limit.builder("per-day")
                .quota(30)
                .window(Duration.ofDays(1))
                .algorithm(Algorithm.SLIDING_WINDOW)
                .build());
    int clients = 60;
    AtomicLong[] admitted = new AtomicLong[clients];
    for (int c = 0; c < clients; c++) {
      admitted[c] = new AtomicLong();
    }
    try (RedisStore one = clusterStore();
        RedisStore two = clusterStore();
        ExecutorService pool = Executors.newFixedThreadPool(16)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        RedisStore store = t % 2 == 0 ? one : two;
        futures.add(
            pool.submit(
                () -> {
                  for (int round = 0; round < 4; round++) {
                    for (int c = 0; c < clients; c++) {
                      // braces in client keys cannot split a client over slots
                      String key = c % 3 == 0 ? "user{" + c + "}" : "user:" + c;
                      RedisDecision decision = store.decideWithOrigin(key, limits, 1, 0);
                      assertThat(decision.origin()).isEqualTo(RedisDecision.Origin.REDIS);
                      if (decision.decision().allowed()) {
                        admitted[c].incrementAndGet();
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
      assertThat(one.stats().failures() + two.stats().failures()).isZero();
    }
    for (int c = 0; c < clients; c++) {
      assertThat(admitted[c].get()).as("client %d", c).isEqualTo(20);
    }
    // the clients' state is spread over every node
    for (RedisCommands<String, String> node : admin) {
      assertThat(node.dbsize()).isPositive();
    }
  }
}
