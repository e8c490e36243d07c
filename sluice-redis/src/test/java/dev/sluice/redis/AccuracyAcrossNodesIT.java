package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.Algorithm;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.testkit.RedisExtension;
import dev.sluice.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Three store instances with their own Lettuce clients stand for three nodes of a service; many
 * threads on each hammer one key. The shared limit admits exactly its quota, never more.
 */
class AccuracyAcrossNodesIT {
  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  private static final int NODES = 3;
  private static final int THREADS_PER_NODE = 16;
  private static final int CALLS_PER_THREAD = 60;

  private static final List<RedisStore> stores = new ArrayList<>();

  @BeforeAll
  static void startNodes() {
    RedisServer server = REDIS.server();
    for (int i = 0; i < NODES; i++) {
      stores.add(
          RedisStore.create(
              RedisStoreConfig.builder()
                  .standalone(server.host() + ":" + server.port())
                  .commandTimeout(Duration.ofSeconds(2))
                  .onFailure(FailureMode.FAIL_CLOSED)
                  .build()));
    }
  }

  @AfterAll
  static void stopNodes() {
    stores.forEach(RedisStore::close);
  }

  /** Runs every node's threads at once; returns the admissions counted per node. */
  private static long[] hammer(String key, List<Limit> limits) throws Exception {
    AtomicLong[] admitted = new AtomicLong[NODES];
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(NODES * THREADS_PER_NODE);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int node = 0; node < NODES; node++) {
        AtomicLong count = admitted[node] = new AtomicLong();
        RateLimiter limiter = RateLimiter.builder().store(stores.get(node)).build();
        for (int t = 0; t < THREADS_PER_NODE; t++) {
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                      if (limiter.decide(key, limits).allowed()) {
                        count.incrementAndGet();
                      }
                    }
                    return null;
                  }));
        }
      }
      start.countDown();
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return Arrays.stream(admitted).mapToLong(AtomicLong::get).toArray();
  }

  private static final long DAY_MICROS = Duration.ofDays(1).toNanos() / 1_000;
  private static final List<Limit> PROBE = List.of(Limit.of("probe", 1, Duration.ofMillis(1)));

  /** Redis' own clock, in microseconds, as the decision script reads it. */
  private static long redisMicros() {
    return stores.get(0).decideWithOrigin("clock-probe", PROBE, 1, 0).redisTimeMicros();
  }

  /**
   * Runs {@link #hammer} on a key within one UTC day of Redis' clock. Day-long fixed and sliding
   * windows end at UTC midnight, so a run that straddles it may rightly admit more than one quota;
   * such a run is repeated on a fresh key, which a run of a few seconds cannot straddle again.
   */
  private static long[] hammerWithinOneDay(String key, List<Limit> limits) throws Exception {
    for (int attempt = 0; ; attempt++) {
      long before = redisMicros();
      long[] perNode = hammer(key + "#" + attempt, limits);
      long after = redisMicros();
      if (Math.floorDiv(before, DAY_MICROS) == Math.floorDiv(after, DAY_MICROS) || attempt > 0) {
        return perNode;
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void threeNodesOnOneKeyAdmitExactlyTheQuotaOfOneThousand(Algorithm algorithm) throws Exception {
    // a day-long window: nothing refills within a day, so the quota is the exact answer
    List<Limit> limits =
        List.of(
            Limit.builder("per-day")
                .quota(1_000)
                .window(Duration.ofDays(1))
                .algorithm(algorithm)
                .build());
    long[] perNode = hammerWithinOneDay("shared-" + algorithm, limits);
    assertThat(Arrays.stream(perNode).sum()).isEqualTo(1_000);
    // every node took part, none was starved
    assertThat(Arrays.stream(perNode).min().orElseThrow()).isPositive();
    for (RedisStore store : stores) {
      assertThat(store.stats().failures()).isZero();
    }
  }

  @Test
  void threeNodesOnSeveralLimitsAdmitExactlyTheTightestQuota() throws Exception {
    List<Limit> limits =
        List.of(
            Limit.of("per-hour", 1_500, Duration.ofHours(1)),
            Limit.builder("per-day")
                .quota(1_000)
                .window(Duration.ofDays(1))
                .algorithm(Algorithm.SLIDING_WINDOW)
                .build());
    long[] perNode = hammerWithinOneDay("shared-multi", limits);
    assertThat(Arrays.stream(perNode).sum()).isEqualTo(1_000);
  }

  @Test
  void aFixedWindowAdmitsExactlyTheQuotaInEachWindow() throws Exception {
    // two-second windows: the run spans several; count admissions by the window Redis saw
    Limit limit =
        Limit.builder("per-2s")
            .quota(1_000)
            .window(Duration.ofSeconds(2))
            .algorithm(Algorithm.FIXED_WINDOW)
            .build();
    List<Limit> limits = List.of(limit);
    java.util.concurrent.ConcurrentHashMap<Long, AtomicLong> perWindow =
        new java.util.concurrent.ConcurrentHashMap<>();
    CountDownLatch start = new CountDownLatch(1);
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(NODES * THREADS_PER_NODE);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int node = 0; node < NODES; node++) {
        RedisStore store = stores.get(node);
        for (int t = 0; t < THREADS_PER_NODE; t++) {
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    while (System.nanoTime() < deadline) {
                      RedisDecision decision = store.decideWithOrigin("windows", limits, 1, 0);
                      if (decision.decision().allowed()) {
                        perWindow
                            .computeIfAbsent(
                                Math.floorDiv(decision.redisTimeMicros(), 2_000_000L),
                                w -> new AtomicLong())
                            .incrementAndGet();
                      }
                    }
                    return null;
                  }));
        }
      }
      start.countDown();
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(perWindow).hasSizeGreaterThanOrEqualTo(2);
    assertThat(perWindow.values()).allMatch(count -> count.get() <= 1_000);
    // windows wholly inside the run are used to the last permit
    assertThat(perWindow.values().stream().mapToLong(AtomicLong::get).max().orElseThrow())
        .isEqualTo(1_000);
  }
}
