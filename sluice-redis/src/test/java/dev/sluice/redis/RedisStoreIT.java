package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.ratelimit.Algorithm;
import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.store.MemoryStore;
import dev.sluice.testkit.RedisExtension;
import dev.sluice.testkit.RedisServer;
import dev.sluice.time.ManualTimeSource;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The store on Redis' own clock, as in production. */
class RedisStoreIT {
  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  private static RedisStore store;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> connection;
  private static RedisCommands<String, String> redis;

  @BeforeAll
  static void connect() {
    RedisServer server = REDIS.server();
    store =
        RedisStore.create(
            RedisStoreConfig.builder()
                .standalone(server.host() + ":" + server.port())
                .onFailure(FailureMode.FAIL_CLOSED)
                .build());
    client = RedisClient.create(server.uri());
    connection = client.connect();
    redis = connection.sync();
  }

  @AfterAll
  static void disconnect() {
    store.close();
    connection.close();
    client.shutdown();
  }

  private static Limit limit(String id, long quota, Duration window, Algorithm algorithm) {
    return Limit.builder(id).quota(quota).window(window).algorithm(algorithm).build();
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void admitsTheQuotaThenRefusesWithARetryAfterWithinTheWindow(Algorithm algorithm) {
    List<Limit> limits = List.of(limit("per-day", 5, Duration.ofDays(1), algorithm));
    // day-long fixed and sliding windows end at UTC midnight on Redis' clock: a sequence that
    // straddles it rightly sees a fresh window, so it is repeated once on a fresh key
    List<RedisDecision> decisions = new ArrayList<>();
    for (int attempt = 0;
        decisions.isEmpty() || straddlesADay(decisions) && attempt < 2;
        attempt++) {
      decisions.clear();
      for (int i = 0; i < 6; i++) {
        decisions.add(store.decideWithOrigin("quota-" + algorithm + "#" + attempt, limits, 1, 0));
      }
    }
    for (int i = 0; i < 5; i++) {
      RedisDecision decision = decisions.get(i);
      assertThat(decision.decision().allowed()).isTrue();
      assertThat(decision.decision().remaining(0)).isEqualTo(4 - i);
      assertThat(decision.origin()).isEqualTo(RedisDecision.Origin.REDIS);
      assertThat(decision.verified()).isTrue();
    }
    Decision refused = decisions.get(5).decision();
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.violatedLimitIds()).containsExactly("per-day");
    assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(longestWait(algorithm, 5));
  }

  private static boolean straddlesADay(List<RedisDecision> decisions) {
    long day = Duration.ofDays(1).toNanos() / 1_000;
    return Math.floorDiv(decisions.get(0).redisTimeMicros(), day)
        != Math.floorDiv(decisions.get(decisions.size() - 1).redisTimeMicros(), day);
  }

  /**
   * The longest a refused caller can be told to wait, at any moment of the day: one window for
   * every algorithm but the weighted sliding window, whose full current window still weighs {@code
   * 1 - elapsed/W} of the next one, so the wait reaches into it by up to {@code W/quota}.
   */
  private static Duration longestWait(Algorithm algorithm, long quota) {
    Duration window = Duration.ofDays(1);
    return algorithm == Algorithm.SLIDING_WINDOW ? window.plus(window.dividedBy(quota)) : window;
  }

  @Test
  void aDecisionOverSeveralLimitsChargesAllOrNone() {
    List<Limit> limits =
        List.of(
            limit("per-minute", 10, Duration.ofMinutes(1), Algorithm.GCRA),
            limit("per-day", 3, Duration.ofDays(1), Algorithm.SLIDING_LOG));
    for (int i = 0; i < 3; i++) {
      assertThat(store.decide("all-or-none", limits, 1, 0).allowed()).isTrue();
    }
    Decision refused = store.decide("all-or-none", limits, 1, 0);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.violatedLimitIds()).containsExactly("per-day");
    // the per-minute limit was not charged by the refused request
    assertThat(refused.remaining(0)).isEqualTo(7);
  }

  @Test
  void keysExpireExactlyWhenTheirLimitIsWholeAgain() {
    List<Limit> limits =
        List.of(
            limit("bucket", 10, Duration.ofSeconds(100), Algorithm.TOKEN_BUCKET),
            limit("log", 10, Duration.ofSeconds(30), Algorithm.SLIDING_LOG));
    Decision decision = store.decide("ttl", limits, 4, 0);
    assertThat(decision.allowed()).isTrue();
    // 4 tokens at 10 s each refill in 40 s; the log's entries leave after 30 s
    long bucketTtl = redis.pttl("sluice:rl:{ttl}:bucket");
    long logTtl = redis.pttl("sluice:rl:{ttl}:log:log");
    assertThat(bucketTtl).isBetween(39_000L, 40_000L);
    assertThat(decision.resetAfter(0).toMillis()).isBetween(39_000L, 40_000L);
    assertThat(redis.pttl("sluice:rl:{ttl}:log")).isBetween(29_000L, 30_000L);
    assertThat(logTtl).isBetween(29_000L, 30_000L);
    assertThat(redis.llen("sluice:rl:{ttl}:log:log")).isEqualTo(4);
  }

  @Test
  void aDeniedRequestWritesNothing() {
    RedisClock.awaitRoomInWindow(REDIS.server().uri(), Duration.ofHours(1), Duration.ofSeconds(2));
    List<Limit> limits = List.of(limit("tiny", 1, Duration.ofHours(1), Algorithm.FIXED_WINDOW));
    store.decide("denied-writes-nothing", limits, 1, 0);
    String before = redis.get("sluice:rl:{denied-writes-nothing}:tiny");
    long ttlBefore = redis.pttl("sluice:rl:{denied-writes-nothing}:tiny");
    assertThat(store.decide("denied-writes-nothing", limits, 1, 0).allowed()).isFalse();
    assertThat(redis.get("sluice:rl:{denied-writes-nothing}:tiny")).isEqualTo(before);
    assertThat(redis.pttl("sluice:rl:{denied-writes-nothing}:tiny")).isLessThanOrEqualTo(ttlBefore);
  }

  @Test
  void theScriptIsLoadedAgainAfterRedisForgetsIt() {
    List<Limit> limits = List.of(Limit.of("per-minute", 100, Duration.ofMinutes(1)));
    assertThat(store.decideWithOrigin("noscript", limits, 1, 0).origin())
        .isEqualTo(RedisDecision.Origin.REDIS);
    redis.scriptFlush();
    RedisDecision after = store.decideWithOrigin("noscript", limits, 1, 0);
    assertThat(after.origin()).isEqualTo(RedisDecision.Origin.REDIS);
    assertThat(after.decision().remaining(0)).isEqualTo(98);
    assertThat(store.stats().failures()).isZero();
  }

  @Test
  void aCostAboveTheBurstIsRefusedForever() {
    List<Limit> limits = List.of(Limit.of("per-second", 5, Duration.ofSeconds(1)));
    Decision decision = store.decide("too-costly", limits, 6, 0);
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.retryAfterNanos()).isEqualTo(Decision.NEVER);
  }

  @Test
  void largeQuotasAndLongWindowsStayExact() {
    // 2,000,000 per hour, previous-window weight products past 2^53 take the exact long product
    RedisClock.awaitRoomInWindow(REDIS.server().uri(), Duration.ofHours(1), Duration.ofSeconds(2));
    Limit sliding = limit("big", 2_000_000, Duration.ofHours(1), Algorithm.SLIDING_WINDOW);
    Limit year = Limit.builder("year").quota(1).window(Duration.ofDays(366)).build();
    Decision first = store.decide("large", List.of(sliding), 1_999_999, 0);
    assertThat(first.allowed()).isTrue();
    assertThat(first.remaining(0)).isEqualTo(1);
    Decision second = store.decide("large", List.of(sliding, year), 1, 0);
    assertThat(second.allowed()).isTrue();
    assertThat(second.remaining(0)).isZero();
    Decision third = store.decide("large", List.of(sliding, year), 1, 0);
    assertThat(third.allowed()).isFalse();
    assertThat(third.violatedLimitIds()).containsExactly("big", "year");
    assertThat(third.retryAfter())
        .isGreaterThan(Duration.ofDays(365))
        .isLessThanOrEqualTo(Duration.ofDays(366));
  }

  @Test
  void largeNumbersOnTheCallersClockMatchTheEngineExactly() {
    ManualTimeSource time = CallerClockStores.nearEpoch();
    RedisServer server = REDIS.server();
    try (RedisStore exact =
        RedisStore.withCallerClock(
            RedisStoreConfig.builder().standalone(server.host() + ":" + server.port()).build(),
            time)) {
      RateLimiter engine =
          RateLimiter.builder().timeSource(time).store(MemoryStore.withMaxKeys(10)).build();
      RateLimiter onRedis = RateLimiter.builder().timeSource(time).store(exact).build();
      // nanoseconds: previous (up to 3e6) x window (3.6e12 ns) is far past 2^53
      List<Limit> limits =
          List.of(limit("big", 3_000_000, Duration.ofHours(1), Algorithm.SLIDING_WINDOW));
      long[][] steps = {
        {0, 2_999_000},
        {1_000_000_000L, 999},
        {3_600_000_000_000L, 7},
        {1_234_567_891_234L, 1},
        {5, 1_500_000},
        {1_800_000_000_000L, 2_000_000},
        {777_777_777_777L, 1_000_000}
      };
      int i = 0;
      for (long[] step : steps) {
        time.advanceNanos(step[0]);
        RedisStoreMatchesEngineIT.assertSame(
            engine.decide("exact", limits, step[1]), onRedis.decide("exact", limits, step[1]), i++);
      }
    }
  }

  @Test
  void aChangedSlidingLogThatRefusesWritesNothingAndKeepsTheOldEntriesAgeing() {
    ManualTimeSource time = CallerClockStores.nearEpoch();
    RedisServer server = REDIS.server();
    try (RedisStore exact =
        RedisStore.withCallerClock(
            RedisStoreConfig.builder().standalone(server.host() + ":" + server.port()).build(),
            time)) {
      RateLimiter engine =
          RateLimiter.builder().timeSource(time).store(MemoryStore.withMaxKeys(10)).build();
      RateLimiter onRedis = RateLimiter.builder().timeSource(time).store(exact).build();
      List<Limit> before = List.of(limit("log", 10, Duration.ofSeconds(10), Algorithm.SLIDING_LOG));
      List<Limit> after = List.of(limit("log", 5, Duration.ofSeconds(10), Algorithm.SLIDING_LOG));
      RedisStoreMatchesEngineIT.assertSame(
          engine.decide("changed-log", before, 8), onRedis.decide("changed-log", before, 8), 0);
      long[] gaps = {1_000, 8_000, 1_500, 100, 10_000};
      for (int i = 0; i < gaps.length; i++) {
        time.advance(Duration.ofMillis(gaps[i]));
        RedisStoreMatchesEngineIT.assertSame(
            engine.decide("changed-log", after, 1), onRedis.decide("changed-log", after, 1), i + 1);
      }
    }
    // on Redis' clock: the refused decision leaves the old log as it was, expiry included
    List<Limit> before = List.of(limit("log", 10, Duration.ofSeconds(10), Algorithm.SLIDING_LOG));
    List<Limit> after = List.of(limit("log", 5, Duration.ofSeconds(10), Algorithm.SLIDING_LOG));
    assertThat(store.decide("changed-log", before, 8, 0).allowed()).isTrue();
    assertThat(store.decide("changed-log", after, 1, 0).allowed()).isFalse();
    assertThat(redis.llen("sluice:rl:{changed-log}:log:log")).isEqualTo(8);
    assertThat(redis.pttl("sluice:rl:{changed-log}:log:log")).isBetween(1L, 10_000L);
  }

  @Test
  void theOverLimitCacheRefusesLocallyUntilTheTimeRedisNamedThenAsksRedisAgain() {
    RedisServer server = REDIS.server();
    try (RedisStore cached =
        RedisStore.create(
            RedisStoreConfig.builder()
                .standalone(server.host() + ":" + server.port())
                .overLimitCache(100)
                .build())) {
      List<Limit> limits = List.of(Limit.of("per-300ms", 2, Duration.ofMillis(300)));
      assertThat(cached.decide("cached", limits, 1, System.nanoTime()).allowed()).isTrue();
      assertThat(cached.decide("cached", limits, 1, System.nanoTime()).allowed()).isTrue();
      RedisDecision refused = cached.decideWithOrigin("cached", limits, 1, System.nanoTime());
      assertThat(refused.decision().allowed()).isFalse();
      assertThat(refused.origin()).isEqualTo(RedisDecision.Origin.REDIS);

      RedisDecision local = cached.decideWithOrigin("cached", limits, 1, System.nanoTime());
      assertThat(local.origin()).isEqualTo(RedisDecision.Origin.OVER_LIMIT_CACHE);
      assertThat(local.verified()).isTrue();
      assertThat(local.decision().allowed()).isFalse();
      assertThat(local.decision().retryAfter())
          .isPositive()
          .isLessThanOrEqualTo(refused.decision().retryAfter());
      assertThat(cached.stats().redis()).isEqualTo(3);

      // once the time Redis named has passed, Redis decides again, and admits
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  cached.decideWithOrigin("cached", limits, 1, System.nanoTime()).origin()
                      == RedisDecision.Origin.REDIS);
      assertThat(cached.stats().overLimitCache()).isPositive();
    }
  }
}
