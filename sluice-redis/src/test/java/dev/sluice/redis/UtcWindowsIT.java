package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.ratelimit.Algorithm;
import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.store.MemoryStore;
import dev.sluice.testkit.RedisExtension;
import dev.sluice.testkit.RedisServer;
import dev.sluice.time.EpochClock;
import dev.sluice.time.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * With real clocks, the in-memory store (fed the limiter's UTC epoch time), the local fallback of a
 * Redis store whose Redis is away, and Redis (on its own {@code TIME}) put clock-aligned windows at
 * the same UTC instants. Every assertion holds at any moment: each store's window end is checked to
 * be a UTC multiple of the window on its own clock, and the two are compared only for decisions
 * whose clock readings fell in the same window.
 */
class UtcWindowsIT {
  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  /** How far Redis' clock may be from the JVM's for the two stores to be compared at all. */
  private static final long SAME_CLOCK_NANOS = Duration.ofMillis(20).toNanos();

  private static final AtomicInteger KEYS = new AtomicInteger();
  private static RedisStore redis;
  private static EpochClock clock;

  @BeforeAll
  static void connect() {
    RedisServer server = REDIS.server();
    redis =
        RedisStore.create(
            RedisStoreConfig.builder()
                .standalone(server.host() + ":" + server.port())
                .onFailure(FailureMode.FAIL_CLOSED)
                .build());
    // the time a RateLimiter on the system time source hands its store
    clock = EpochClock.of(TimeSource.system());
  }

  @AfterAll
  static void disconnect() {
    redis.close();
  }

  static Stream<Arguments> windows() {
    return Stream.of(Algorithm.FIXED_WINDOW, Algorithm.SLIDING_WINDOW)
        .flatMap(
            algorithm ->
                Stream.of(
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(1),
                        Duration.ofHours(1),
                        Duration.ofDays(1))
                    .map(window -> Arguments.of(algorithm, window)));
  }

  private static List<Limit> limits(Algorithm algorithm, Duration window, long quota) {
    return List.of(Limit.builder("w").quota(quota).window(window).algorithm(algorithm).build());
  }

  /**
   * One permit taken from a fresh key in each store, with the time each store decided at, and the
   * JVM's clock just before and after the call to Redis.
   */
  private record Sample(
      long memoryNow,
      Decision memory,
      long redisNow,
      Decision redis,
      long aroundRedisFrom,
      long aroundRedisTo) {
    /** The end of the window each store's permit was counted in. */
    long memoryEnd(Algorithm algorithm, long window) {
      return memoryNow + memory.resetAfterNanos(0) - extra(algorithm, window);
    }

    long redisEnd(Algorithm algorithm, long window) {
      return redisNow + redis.resetAfterNanos(0) - extra(algorithm, window);
    }

    /** A sliding window is whole one window after the end of the one it counted in. */
    private static long extra(Algorithm algorithm, long window) {
      return algorithm == Algorithm.SLIDING_WINDOW ? window : 0;
    }
  }

  /** The store compared with Redis, deciding at the time it is handed. */
  private interface Local {
    Decision decide(String key, List<Limit> limits, long nowNanos);
  }

  private static Local memory() {
    MemoryStore memory = MemoryStore.create();
    return (key, limits, now) -> memory.decide(key, limits, 1, now);
  }

  private static Sample sample(Local local, List<Limit> limits) {
    String key = "utc-" + KEYS.incrementAndGet();
    long localNow = clock.epochNanos();
    Decision inMemory = local.decide(key, limits, localNow);
    long from = clock.epochNanos();
    RedisDecision inRedis = redis.decideWithOrigin(key, limits, 1, from);
    long to = clock.epochNanos();
    assertThat(inRedis.origin()).isEqualTo(RedisDecision.Origin.REDIS);
    return new Sample(
        localNow, inMemory, inRedis.redisTimeMicros() * 1_000, inRedis.decision(), from, to);
  }

  /** Whether Redis read the same clock as the JVM: its time fell within the call, give or take. */
  private static boolean clocksAgree(Sample sample) {
    return sample.redisNow() >= sample.aroundRedisFrom() - SAME_CLOCK_NANOS
        && sample.redisNow() <= sample.aroundRedisTo() + SAME_CLOCK_NANOS;
  }

  @ParameterizedTest
  @MethodSource("windows")
  void bothStoresEndTheWindowAtTheSameUtcMultiple(Algorithm algorithm, Duration window) {
    assertSameWindows(memory(), algorithm, window);
  }

  @ParameterizedTest
  @MethodSource("windows")
  void theFallbackOfAStoreWhoseRedisIsAwayEndsTheWindowWhereRedisDoes(
      Algorithm algorithm, Duration window) {
    try (RedisStore away =
        RedisStore.create(
            RedisStoreConfig.builder()
                .standalone("127.0.0.1:1")
                .connectTimeout(Duration.ofMillis(200))
                .onFailure(FailureMode.FALLBACK)
                .connectInBackground()
                .build())) {
      assertSameWindows(
          (key, limits, now) -> {
            RedisDecision local = away.decideWithOrigin(key, limits, 1, now);
            assertThat(local.origin()).isEqualTo(RedisDecision.Origin.FALLBACK);
            return local.decision();
          },
          algorithm,
          window);
    }
  }

  private static void assertSameWindows(Local memory, Algorithm algorithm, Duration window) {
    List<Limit> limits = limits(algorithm, window, 10);
    long w = window.toNanos();
    int compared = 0;
    for (int attempt = 0; attempt < 50 && compared < 3; attempt++) {
      Sample s = sample(memory, limits);
      assertThat(s.memory().allowed()).isTrue();
      assertThat(s.redis().allowed()).isTrue();
      long memoryEnd = s.memoryEnd(algorithm, w);
      long redisEnd = s.redisEnd(algorithm, w);
      // each store: the window holding its own reading, ending on a UTC multiple of the window
      assertThat(Math.floorMod(memoryEnd, w)).isZero();
      assertThat(memoryEnd - s.memoryNow()).isPositive().isLessThanOrEqualTo(w);
      assertThat(Math.floorMod(redisEnd, w)).isZero();
      assertThat(redisEnd - s.redisNow()).isPositive().isLessThanOrEqualTo(w);
      Assumptions.assumeTrue(
          clocksAgree(s),
          () ->
              "Redis' clock is "
                  + Duration.ofNanos(s.redisNow() - s.aroundRedisFrom())
                  + " off the JVM's (a shifted clock?): each store was checked on its own clock");
      if (Math.floorDiv(s.memoryNow(), w) == Math.floorDiv(s.redisNow(), w)) {
        // both decided within one UTC window: they must agree on where it ends, exactly
        assertThat(memoryEnd).isEqualTo(redisEnd);
        compared++;
      }
    }
    assertThat(compared).as("samples whose two readings fell in one window").isEqualTo(3);
  }

  @Test
  void whenRedisOpensTheNextSecondTheMemoryStoreOpensItAtTheSameInstant() {
    Local memory = memory();
    List<Limit> limits = limits(Algorithm.FIXED_WINDOW, Duration.ofSeconds(1), 1);
    long w = Duration.ofSeconds(1).toNanos();
    // a fresh key in each store, both charged within one UTC second
    Sample first = sample(memory, limits);
    for (int attempt = 0;
        attempt < 50 && Math.floorDiv(first.memoryNow(), w) != Math.floorDiv(first.redisNow(), w);
        attempt++) {
      first = sample(memory, limits);
    }
    Assumptions.assumeTrue(clocksAgree(first), "Redis' clock is not the JVM's (a shifted clock?)");
    assertThat(Math.floorDiv(first.memoryNow(), w)).isEqualTo(Math.floorDiv(first.redisNow(), w));
    String key = "utc-" + KEYS.get();
    long boundary = first.redisEnd(Algorithm.FIXED_WINDOW, w);

    // drive Redis until it admits the key again: its window has ended
    AtomicReference<RedisDecision> reopened = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(2))
        .until(
            () -> {
              RedisDecision d = redis.decideWithOrigin(key, limits, 1, clock.epochNanos());
              reopened.set(d);
              return d.decision().allowed();
            });
    assertThat(reopened.get().redisTimeMicros() * 1_000).isGreaterThanOrEqualTo(boundary);

    // the memory store's window ends exactly there: open from that instant, closed before it
    long now = clock.epochNanos();
    Decision inMemory = memory.decide(key, limits, now);
    if (now >= boundary) {
      assertThat(inMemory.allowed()).isTrue();
      assertThat(now + inMemory.resetAfterNanos(0))
          .isEqualTo(boundary + w * ((now - boundary) / w + 1));
    } else {
      assertThat(inMemory.allowed()).isFalse();
      assertThat(inMemory.retryAfterNanos()).isEqualTo(boundary - now);
    }
  }
}
