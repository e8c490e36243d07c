package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.Algorithm;
import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.store.MemoryStore;
import dev.sluice.testkit.RedisServer;
import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The script against the in-memory engine, decision by decision: for any limits (every algorithm,
 * one to four limits per key, bursts, changed limits) and any arrivals, the Redis store and the
 * {@link MemoryStore} give the same verdict, the same remaining permits, the same reset times and
 * the same retry-after, to the nanosecond. The script runs on the caller's clock here so both see
 * the same times; in production it reads Redis' clock in microseconds, the same integer math.
 */
class RedisStoreMatchesEngineIT {
  private static RedisServer server;
  private static RedisStore store;
  private static final AtomicLong RUN = new AtomicLong();

  @BeforeContainer
  static void start() {
    server = RedisServer.start();
    store = CallerClockStores.on(server);
  }

  @AfterContainer
  static void stop() {
    store.close();
    server.stop();
  }

  @Provide
  Arbitrary<Limit> limit() {
    return Combinators.combine(
            Arbitraries.of(Algorithm.class),
            Arbitraries.longs().between(1, 30),
            Arbitraries.longs().between(1, 3_000),
            Arbitraries.longs().between(0, 40))
        .as(
            (algorithm, quota, millis, burst) -> {
              Limit.Builder builder =
                  Limit.builder("x")
                      .quota(quota)
                      .window(Duration.ofMillis(millis))
                      .algorithm(algorithm);
              if (algorithm.hasBurst() && burst > 0) {
                builder.burst(burst);
              }
              return builder.build();
            });
  }

  @Provide
  Arbitrary<List<Limit>> limitSets() {
    return limit()
        .list()
        .ofMinSize(1)
        .ofMaxSize(4)
        .map(
            list -> {
              List<Limit> named = new ArrayList<>();
              for (int i = 0; i < list.size(); i++) {
                named.add(rename(list.get(i), "limit-" + i));
              }
              return List.copyOf(named);
            });
  }

  private static Limit rename(Limit limit, String id) {
    Limit.Builder builder =
        Limit.builder(id).quota(limit.quota()).window(limit.window()).algorithm(limit.algorithm());
    if (limit.algorithm().hasBurst()) {
      builder.burst(limit.burst());
    }
    return builder.build();
  }

  @Provide
  Arbitrary<List<long[]>> arrivals() {
    Arbitrary<Long> gaps =
        Arbitraries.oneOf(
            Arbitraries.just(0L),
            Arbitraries.longs().between(0, 5_000_000L),
            Arbitraries.longs().between(0, 2_000_000_000L));
    Arbitrary<Long> costs =
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.just(1L)), Tuple.of(2, Arbitraries.longs().between(1, 12)));
    return Combinators.combine(gaps, costs)
        .as((gap, cost) -> new long[] {gap, cost})
        .list()
        .ofMinSize(1)
        .ofMaxSize(80);
  }

  @Property(tries = 300)
  void everyDecisionEqualsTheEnginesForAnyLimitsAndArrivals(
      @ForAll("limitSets") List<Limit> limits, @ForAll("arrivals") List<long[]> arrivals) {
    compare(limits, limits, arrivals);
  }

  @Property(tries = 150)
  void aChangedLimitCarriesItsUsedPermitsOverLikeTheEngine(
      @ForAll("limitSets") List<Limit> before,
      @ForAll("limit") Limit changed,
      @ForAll("arrivals") List<long[]> arrivals) {
    List<Limit> after = new ArrayList<>(before);
    after.set(0, rename(changed, before.get(0).id()));
    compare(before, List.copyOf(after), arrivals);
  }

  @Property(tries = 150)
  void aCallerWhoseClockIsBehindIsDecidedAtTheLatestTimeSeenLikeTheEngine(
      @ForAll("limitSets") List<Limit> limits, @ForAll("arrivals") List<long[]> arrivals) {
    compareSkewed(limits, arrivals);
  }

  /**
   * Regression: a denied decision used to drop the sliding log's expired entries in Redis, so a
   * later caller whose clock was behind found a permit the engine (which writes nothing on a
   * denial) did not.
   */
  @Example
  void aDenialLeavesTheSlidingLogAsItWasForACallerWhoseClockIsBehind() {
    List<Limit> limits =
        List.of(
            Limit.builder("limit-0")
                .quota(1)
                .window(Duration.ofMillis(1))
                .algorithm(Algorithm.SLIDING_WINDOW)
                .build(),
            Limit.builder("limit-1")
                .quota(1)
                .window(Duration.ofMillis(1))
                .algorithm(Algorithm.SLIDING_LOG)
                .build());
    long[][] gaps = {
      {0, 1}, {0, 1}, {0, 1}, {0, 1}, {0, 1}, {440_001, 1}, {559_999, 1}, {0, 1}, {1, 1}
    };
    compareSkewed(limits, List.of(gaps));
  }

  private static void compareSkewed(List<Limit> limits, List<long[]> arrivals) {
    MemoryStore engine = MemoryStore.withMaxKeys(10);
    String key = "skewed-" + RUN.incrementAndGet();
    long now = new ManualTimeSource().nanoTime();
    for (int i = 0; i < arrivals.size(); i++) {
      // every third caller reads a clock up to 50 ms behind the others
      long reading = i % 3 == 2 ? now - arrivals.get(i)[0] % 50_000_000L : now;
      long cost = arrivals.get(i)[1];
      assertSame(
          engine.decide(key, limits, cost, reading), store.decide(key, limits, cost, reading), i);
      now += arrivals.get(i)[0];
    }
  }

  /** Runs the first half of the arrivals with {@code first}, the rest with {@code second}. */
  private static void compare(List<Limit> first, List<Limit> second, List<long[]> arrivals) {
    ManualTimeSource time = CallerClockStores.nearEpoch();
    RateLimiter engine =
        RateLimiter.builder().timeSource(time).store(MemoryStore.withMaxKeys(10)).build();
    RateLimiter redis = RateLimiter.builder().timeSource(time).store(store).build();
    String key = "client-" + RUN.incrementAndGet();
    for (int i = 0; i < arrivals.size(); i++) {
      List<Limit> limits = i < arrivals.size() / 2 ? first : second;
      time.advanceNanos(arrivals.get(i)[0]);
      long cost = arrivals.get(i)[1];
      Decision expected = engine.decide(key, limits, cost);
      Decision actual = redis.decide(key, limits, cost);
      assertSame(expected, actual, i);
    }
  }

  static void assertSame(Decision expected, Decision actual, int arrival) {
    String at = "arrival " + arrival + ": expected " + expected + " but was " + actual;
    assertThat(actual.allowed()).as(at).isEqualTo(expected.allowed());
    assertThat(actual.retryAfterNanos()).as(at).isEqualTo(expected.retryAfterNanos());
    for (int i = 0; i < expected.limits().size(); i++) {
      assertThat(actual.remaining(i)).as(at).isEqualTo(expected.remaining(i));
      assertThat(actual.resetAfterNanos(i)).as(at).isEqualTo(expected.resetAfterNanos(i));
      assertThat(actual.violated(i)).as(at).isEqualTo(expected.violated(i));
    }
  }
}
