package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.breaker.CircuitState;
import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import dev.sluice.testkit.RedisExtension;
import dev.sluice.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redis killed, restarted and stalled under a running store. */
class FaultsIT {
  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  private static final Duration TIMEOUT = Duration.ofMillis(100);
  private static final int THRESHOLD = 3;
  private static final List<Limit> ONE_PER_HOUR =
      List.of(Limit.of("per-hour", 1, Duration.ofHours(1)));

  private RedisStore store;

  private RedisStore store(FailureMode mode, int fallbackNodes) {
    RedisServer server = REDIS.server();
    store =
        RedisStore.create(
            RedisStoreConfig.builder()
                .standalone(server.host() + ":" + server.port())
                .commandTimeout(TIMEOUT)
                .reconnectDelayMax(Duration.ofMillis(100))
                .onFailure(mode)
                .fallbackNodes(fallbackNodes)
                .failClosedRetryAfter(Duration.ofSeconds(2))
                .breaker(
                    CircuitBreakerConfig.builder()
                        .consecutiveFailures(THRESHOLD)
                        .openDelay(Duration.ofMillis(200))
                        .maxOpenDelay(Duration.ofMillis(400))
                        .build())
                .build());
    return store;
  }

  @AfterEach
  void restoreRedis() {
    if (store != null) {
      store.close();
    }
    if (!REDIS.server().isRunning()) {
      REDIS.server().restart();
    }
  }

  /** Decides and checks that the call came back within the bound on a call to a dead Redis. */
  private RedisDecision timed(String key, List<Limit> limits) {
    long t0 = System.nanoTime();
    RedisDecision decision = store.decideWithOrigin(key, limits, 1, System.nanoTime());
    // attempts x timeout + backoff, with room for a loaded machine
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    return decision;
  }

  @Test
  void failOpenAllowsWhileRedisIsDownAndMarksTheDecisionsUnverified() {
    store(FailureMode.FAIL_OPEN, 1);
    assertThat(timed("open", ONE_PER_HOUR).decision().allowed()).isTrue();
    assertThat(timed("open", ONE_PER_HOUR).decision().allowed()).isFalse();

    REDIS.server().kill();
    for (int i = 0; i < 10; i++) {
      RedisDecision decision = timed("open", ONE_PER_HOUR);
      assertThat(decision.decision().allowed()).isTrue();
      assertThat(decision.origin()).isEqualTo(RedisDecision.Origin.FAIL_OPEN);
      assertThat(decision.verified()).isFalse();
    }
    assertThat(store.stats().failOpen()).isEqualTo(10);
  }

  @Test
  void failClosedDeniesWhileRedisIsDownWithARetryAfter() {
    store(FailureMode.FAIL_CLOSED, 1);
    assertThat(timed("closed", ONE_PER_HOUR).decision().allowed()).isTrue();

    REDIS.server().kill();
    for (int i = 0; i < 10; i++) {
      RedisDecision decision = timed("closed-" + i, ONE_PER_HOUR);
      Decision denied = decision.decision();
      assertThat(denied.allowed()).isFalse();
      assertThat(decision.origin()).isEqualTo(RedisDecision.Origin.FAIL_CLOSED);
      assertThat(denied.violatedLimitIds()).containsExactly("per-hour");
      assertThat(denied.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(2));
    }
  }

  @Test
  void fallbackLimitsLocallyWithThisNodesShareOfEachLimit() {
    store(FailureMode.FALLBACK, 4);
    List<Limit> limits = List.of(Limit.of("per-hour", 100, Duration.ofHours(1)));
    assertThat(timed("fallback", limits).origin()).isEqualTo(RedisDecision.Origin.REDIS);

    REDIS.server().kill();
    int admitted = 0;
    for (int i = 0; i < 40; i++) {
      RedisDecision decision = timed("fallback", limits);
      assertThat(decision.origin()).isEqualTo(RedisDecision.Origin.FALLBACK);
      assertThat(decision.decision().limits().get(0).quota()).isEqualTo(25);
      if (decision.decision().allowed()) {
        admitted++;
      }
    }
    // one node of four: a quarter of the quota
    assertThat(admitted).isEqualTo(25);
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void theBreakerOpensAtItsThresholdAndClosesOnceRedisIsBack() {
    store(FailureMode.FAIL_OPEN, 1);
    List<Limit> limits = List.of(Limit.of("per-second", 1_000, Duration.ofSeconds(1)));
    assertThat(timed("breaker", limits).origin()).isEqualTo(RedisDecision.Origin.REDIS);

    long killedAt = System.nanoTime();
    REDIS.server().kill();
    int calls = 0;
    while (store.breakerState() != CircuitState.OPEN) {
      assertThat(timed("breaker", limits).verified()).isFalse();
      calls++;
      assertThat(calls).isLessThanOrEqualTo(THRESHOLD);
    }
    long detected = System.nanoTime() - killedAt;
    assertThat(store.stats().failures()).isEqualTo(THRESHOLD);
    // while open, no call reaches Redis: decided at once
    long t0 = System.nanoTime();
    assertThat(timed("breaker", limits).origin()).isEqualTo(RedisDecision.Origin.FAIL_OPEN);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(TIMEOUT);

    long restartedAt = System.nanoTime();
    REDIS.server().restart();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> timed("breaker", limits).origin() == RedisDecision.Origin.REDIS);
    long recovered = System.nanoTime() - restartedAt;
    assertThat(store.breakerState()).isEqualTo(CircuitState.CLOSED);
    System.out.printf(
        "outage detected (breaker open) %d ms after the kill, in %d decisions;"
            + " first Redis decision %d ms after the restart%n",
        detected / 1_000_000, calls, recovered / 1_000_000);
  }

  @Test
  void noDecisionWaitsPastTheTimeoutWhileRedisStalls() throws Exception {
    store(FailureMode.FAIL_CLOSED, 1);
    List<Limit> limits = List.of(Limit.of("per-second", 100_000, Duration.ofSeconds(1)));
    assertThat(timed("stall", limits).origin()).isEqualTo(RedisDecision.Origin.REDIS);
    RedisClient admin = RedisClient.create(REDIS.server().uri());
    AtomicLong slowest = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    try (StatefulRedisConnection<String, String> connection = admin.connect()) {
      // Redis answers nothing for 2 s
      connection
          .async()
          .dispatch(
              CommandType.DEBUG,
              new StatusOutput<>(StringCodec.UTF8),
              new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add("2"));
      long until = System.nanoTime() + Duration.ofMillis(1_500).toNanos();
      try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
          futures.add(
              pool.submit(
                  () -> {
                    while (System.nanoTime() < until) {
                      long t0 = System.nanoTime();
                      RedisDecision decision =
                          store.decideWithOrigin("stall", limits, 1, System.nanoTime());
                      slowest.accumulateAndGet(System.nanoTime() - t0, Math::max);
                      if (decision.origin() == RedisDecision.Origin.FAIL_CLOSED) {
                        refused.incrementAndGet();
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> future : futures) {
          future.get();
        }
      }
    } finally {
      admin.shutdown();
    }
    System.out.printf(
        "stalled redis: slowest decision %d ms (timeout %d ms), %d refused%n",
        slowest.get() / 1_000_000, TIMEOUT.toMillis(), refused.get());
    assertThat(refused.get()).isPositive();
    // a timed-out call is never retried: one timeout plus scheduling slack on a busy machine,
    // far from the two seconds a caller waiting for the stalled server would take
    assertThat(Duration.ofNanos(slowest.get())).isLessThan(Duration.ofSeconds(1));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> timed("stall", limits).origin() == RedisDecision.Origin.REDIS);
  }
}
