package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.policy.Outcome;
import dev.sluice.ratelimit.policy.Penalty;
import dev.sluice.ratelimit.policy.PenaltyStanding;
import dev.sluice.ratelimit.policy.PenaltyStats;
import dev.sluice.ratelimit.policy.PenaltyStore;
import dev.sluice.ratelimit.policy.Policy;
import dev.sluice.ratelimit.policy.PolicyEnforcer;
import dev.sluice.ratelimit.policy.Request;
import dev.sluice.ratelimit.policy.Verdict;
import dev.sluice.testkit.RedisExtension;
import dev.sluice.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
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

/**
 * Penalties kept in Redis on Redis' clock, by several nodes (each its own {@link RedisStore}): a
 * penalty started through one node is served on every node, ends when it should, leaves a record
 * that expires, and Redis outages are met by the store's failure mode.
 */
class RedisPenaltiesIT {
  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  private static final AtomicLong RUN = new AtomicLong();
  private static final Duration COOLDOWN = Duration.ofMillis(600);
  private static final Penalty PENALTY =
      Penalty.builder()
          .threshold(2)
          .window(Duration.ofMinutes(1))
          .cooldown(COOLDOWN)
          .multiplier(2)
          .maxCooldown(Duration.ofMinutes(10))
          .resetAfter(Duration.ofMinutes(5))
          .build();
  private static final Policy POLICY =
      Policy.builder()
          .defaults(List.of(Limit.of("per-hour", 1, Duration.ofHours(1))))
          .penalty(PENALTY)
          .build();

  private final List<RedisStore> stores = new ArrayList<>();

  @AfterEach
  void close() {
    stores.forEach(RedisStore::close);
    if (!REDIS.server().isRunning()) {
      REDIS.server().restart();
    }
  }

  private RedisStore store(FailureMode mode) {
    RedisServer server = REDIS.server();
    RedisStore store =
        RedisStore.create(
            RedisStoreConfig.builder()
                .standalone(server.host() + ":" + server.port())
                .commandTimeout(Duration.ofMillis(200))
                .reconnectDelayMax(Duration.ofMillis(100))
                .onFailure(mode)
                .breaker(
                    CircuitBreakerConfig.builder()
                        .consecutiveFailures(3)
                        .openDelay(Duration.ofMillis(200))
                        .maxOpenDelay(Duration.ofMillis(400))
                        .build())
                .build());
    stores.add(store);
    return store;
  }

  /** A node: its own store on the shared Redis, an enforcer with penalties kept in Redis. */
  private PolicyEnforcer node(FailureMode mode) {
    RedisStore store = store(mode);
    return PolicyEnforcer.create(
        POLICY, RateLimiter.builder().store(store).build(), store.penalties(1_000));
  }

  private static Request from(String address) {
    return Request.anonymous("GET", "/api", address);
  }

  private static String address() {
    long n = RUN.incrementAndGet();
    return "198.51." + (n / 250) + "." + (n % 250 + 1);
  }

  @Test
  void aClientPenalizedThroughOneNodeIsRefusedByAnotherUntilThePenaltyEnds() {
    PolicyEnforcer a = node(FailureMode.FAIL_OPEN);
    PolicyEnforcer b = node(FailureMode.FAIL_OPEN);
    Request client = from(address());

    assertThat(a.evaluate(client).outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(a.evaluate(client).outcome()).isEqualTo(Outcome.DENIED);
    long started = System.nanoTime();
    Verdict second = a.evaluate(client);
    assertThat(second.outcome()).isEqualTo(Outcome.DENIED);
    assertThat(second.penaltyLevel()).isEqualTo(1);

    Verdict elsewhere = b.evaluate(client);
    assertThat(elsewhere.outcome()).isEqualTo(Outcome.PENALIZED);
    assertThat(elsewhere.penaltyLevel()).isEqualTo(1);
    assertThat(elsewhere.retryAfter()).isPositive().isLessThanOrEqualTo(COOLDOWN);

    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> b.evaluate(client).outcome() != Outcome.PENALIZED);
    // it ends on Redis' clock, which reads the same machine's time: not before the cooldown
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(COOLDOWN.minusMillis(50));
    // still over its limit: that refusal was a first violation, the next starts level 2, which
    // node a serves too (its own memory of level 1 ended no later than Redis' record)
    Verdict level2 = b.evaluate(client);
    assertThat(level2.outcome()).isEqualTo(Outcome.DENIED);
    assertThat(level2.penaltyLevel()).isEqualTo(2);
    Verdict again = a.evaluate(client);
    assertThat(again.outcome()).isEqualTo(Outcome.PENALIZED);
    assertThat(again.penaltyLevel()).isEqualTo(2);
    assertThat(again.retryAfter()).isPositive().isLessThanOrEqualTo(COOLDOWN.multipliedBy(2));
  }

  @Test
  void violationsRacingThroughTwoNodesStartExactlyOnePenalty() throws Exception {
    PenaltyStore a = store(FailureMode.FAIL_CLOSED).penalties(10);
    PenaltyStore b = store(FailureMode.FAIL_CLOSED).penalties(10);
    Penalty tenStrikes =
        Penalty.builder()
            .threshold(10)
            .window(Duration.ofMinutes(1))
            .cooldown(Duration.ofMinutes(1))
            .build();
    String client = "ip:" + address();
    List<Future<PenaltyStanding>> racing = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 64; i++) {
        PenaltyStore node = i % 2 == 0 ? a : b;
        racing.add(pool.submit(() -> node.recordViolation(client, tenStrikes, System.nanoTime())));
      }
    }
    int penalized = 0;
    for (Future<PenaltyStanding> standing : racing) {
      PenaltyStanding after = standing.get();
      assertThat(after.level()).isBetween(0, 1);
      if (after.penalized()) {
        penalized++;
      }
    }
    // the tenth violation started it; the 54 after it met a penalty in force
    assertThat(penalized).isEqualTo(55);
    long now = System.nanoTime();
    assertThat(a.stats(now).started(1) + b.stats(now).started(1)).isEqualTo(1);
    assertThat(a.check(client, now).level()).isEqualTo(1);
  }

  @Test
  void theRecordSharesTheStoresPrefixAndHashTagAndExpiresOnceForgotten() {
    RedisStore store = store(FailureMode.FAIL_OPEN);
    PenaltyStore penalties = store.penalties(10);
    String client = "ip:" + address();
    penalties.recordViolation(client, PENALTY, 0);
    try (RedisClient client0 = RedisClient.create(REDIS.server().uri());
        StatefulRedisConnection<String, String> connection = client0.connect()) {
      String key = "sluice:rl:{" + client + "}:~penalty";
      long ttl = connection.sync().pttl(key);
      // a violation without a penalty is remembered for its window
      assertThat(ttl).isPositive().isLessThanOrEqualTo(PENALTY.window().toMillis());
      penalties.recordViolation(client, PENALTY, 0);
      ttl = connection.sync().pttl(key);
      // a penalty is remembered until its level is forgotten: cooldown plus reset-after
      assertThat(ttl)
          .isGreaterThan(PENALTY.window().toMillis())
          .isLessThanOrEqualTo(COOLDOWN.plus(PENALTY.resetAfter()).toMillis());
    }
  }

  @Test
  void aPenaltySeenInForceIsEnforcedWithoutRedisUntilItEnds() {
    RedisStore store = store(FailureMode.FAIL_OPEN);
    PenaltyStore penalties = store.penalties(10);
    String client = "ip:" + address();
    long now = System.nanoTime();
    penalties.recordViolation(client, PENALTY, now);
    PenaltyStanding started = penalties.recordViolation(client, PENALTY, now);
    assertThat(started.penalized()).isTrue();

    REDIS.server().kill();
    PenaltyStanding later = penalties.check(client, now + 1_000_000);
    assertThat(later.level()).isEqualTo(1);
    assertThat(later.remainingNanos()).isEqualTo(started.remainingNanos() - 1_000_000);
    // once it has ended, fail-open knows nothing more of the client
    assertThat(penalties.check(client, now + started.remainingNanos()))
        .isEqualTo(PenaltyStanding.CLEAR);
    PenaltyStats stats = penalties.stats(now);
    assertThat(stats.started(1)).isEqualTo(1);
  }

  @Test
  void failOpenCountsNoViolationWhileRedisIsDown() {
    PenaltyStore penalties = store(FailureMode.FAIL_OPEN).penalties(10);
    REDIS.server().kill();
    String client = "ip:" + address();
    for (int i = 0; i < 5; i++) {
      assertThat(penalties.recordViolation(client, PENALTY, i)).isEqualTo(PenaltyStanding.CLEAR);
      assertThat(penalties.check(client, i)).isEqualTo(PenaltyStanding.CLEAR);
    }
  }

  @Test
  void fallbackKeepsPenaltiesOnThisNodeWhileRedisIsDown() {
    PenaltyStore penalties = store(FailureMode.FALLBACK).penalties(10);
    REDIS.server().kill();
    String client = "ip:" + address();
    long now = 5_000_000_000L;
    assertThat(penalties.recordViolation(client, PENALTY, now).penalized()).isFalse();
    PenaltyStanding started = penalties.recordViolation(client, PENALTY, now);
    assertThat(started).isEqualTo(new PenaltyStanding(1, COOLDOWN.toNanos()));
    assertThat(penalties.check(client, now + 1))
        .isEqualTo(new PenaltyStanding(1, COOLDOWN.toNanos() - 1));
    assertThat(penalties.stats(now).active(1)).isEqualTo(1);
  }

  @Test
  void penaltiesAreKeptInRedisAgainOnceItIsBack() {
    PenaltyStore a = store(FailureMode.FAIL_OPEN).penalties(10);
    REDIS.server().kill();
    String client = "ip:" + address();
    assertThat(a.recordViolation(client, PENALTY, 0)).isEqualTo(PenaltyStanding.CLEAR);
    REDIS.server().restart();
    PenaltyStore b = store(FailureMode.FAIL_OPEN).penalties(10);
    // violations through a, once its breaker lets calls through again, start a penalty b sees
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              a.recordViolation(client, PENALTY, 0);
              return b.check(client, 0).penalized();
            });
    assertThat(b.check(client, 0).level()).isEqualTo(1);
  }
}
