package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.policy.Penalty;
import dev.sluice.ratelimit.policy.PenaltyStanding;
import dev.sluice.ratelimit.policy.PenaltyStore;
import dev.sluice.testkit.RedisServer;
import java.time.Duration;
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
 * The penalty scripts against the in-memory box, step by step: for any penalty settings and any
 * sequence of violations, look-ups and clock advances over a few clients, the Redis penalty store
 * and {@link PenaltyStore#inMemory} report the same level and the same remaining time, to the
 * nanosecond. The scripts run on the caller's clock here so both see the same times; in production
 * they read Redis' clock in microseconds, the same integer math.
 */
class RedisPenaltiesMatchBoxIT {
  private static RedisServer server;
  private static RedisStore store;
  private static final AtomicLong RUN = new AtomicLong();

  /** One step: advance the clock by {@code gapNanos}, then a violation or a look-up by a client. */
  record Step(long gapNanos, int client, boolean violation) {}

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
  Arbitrary<Penalty> penalties() {
    Arbitrary<Integer> thresholds = Arbitraries.integers().between(1, 4);
    Arbitrary<Long> millis = Arbitraries.longs().between(1, 4_000);
    Arbitrary<Long> multipliers = Arbitraries.longs().between(1, 4);
    Arbitrary<Long> growth = Arbitraries.longs().between(1, 20);
    return Combinators.combine(thresholds, millis, millis, multipliers, growth, millis)
        .as(
            (threshold, window, cooldown, multiplier, times, reset) ->
                Penalty.builder()
                    .threshold(threshold)
                    .window(Duration.ofMillis(window))
                    .cooldown(Duration.ofMillis(cooldown))
                    .multiplier(multiplier)
                    .maxCooldown(Duration.ofMillis(cooldown * times))
                    .resetAfter(Duration.ofMillis(reset))
                    .build());
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Long> gaps =
        Arbitraries.oneOf(
            Arbitraries.just(0L),
            Arbitraries.longs().between(0, 5_000_000L),
            // whole milliseconds, like the settings: steps land exactly on the ends of windows,
            // penalties and resets
            Arbitraries.longs().between(0, 5_000).map(millis -> millis * 1_000_000L),
            Arbitraries.longs().between(0, 2_000_000_000L),
            Arbitraries.longs().between(0, 40_000_000_000L));
    return Combinators.combine(
            gaps,
            Arbitraries.integers().between(0, 2),
            Arbitraries.frequency(Tuple.of(6, true), Tuple.of(4, false)))
        .as(Step::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(120);
  }

  @Property(tries = 300)
  void everyStandingEqualsTheBoxForAnyPenaltyAndSteps(
      @ForAll("penalties") Penalty penalty, @ForAll("steps") List<Step> steps) {
    compare(penalty, penalty, steps);
  }

  @Property(tries = 100)
  void penaltySettingsChangedMidwayAreAppliedLikeTheBox(
      @ForAll("penalties") Penalty before,
      @ForAll("penalties") Penalty after,
      @ForAll("steps") List<Step> steps) {
    compare(before, after, steps);
  }

  @Example
  void aClientThatKeepsOffendingClimbsLevelsAndFallsBackAfterTheReset() {
    Penalty penalty =
        Penalty.builder()
            .threshold(2)
            .window(Duration.ofSeconds(10))
            .cooldown(Duration.ofSeconds(1))
            .multiplier(2)
            .maxCooldown(Duration.ofSeconds(3))
            .resetAfter(Duration.ofSeconds(5))
            .build();
    PenaltyStore redis = store.penalties(100);
    String client = "climber-" + RUN.incrementAndGet();
    long now = 1_000_000_000_000L;
    long second = 1_000_000_000L;
    assertThat(redis.recordViolation(client, penalty, now)).isEqualTo(new PenaltyStanding(0, 0));
    assertThat(redis.recordViolation(client, penalty, now)).isEqualTo(standing(1, second));
    assertThat(redis.check(client, now + second / 2)).isEqualTo(standing(1, second / 2));
    now += second;
    assertThat(redis.check(client, now)).isEqualTo(standing(1, 0));
    redis.recordViolation(client, penalty, now);
    assertThat(redis.recordViolation(client, penalty, now)).isEqualTo(standing(2, 2 * second));
    now += 2 * second;
    redis.recordViolation(client, penalty, now);
    assertThat(redis.recordViolation(client, penalty, now)).isEqualTo(standing(3, 3 * second));
    now += 3 * second + 5 * second;
    assertThat(redis.check(client, now)).isEqualTo(standing(0, 0));
    redis.recordViolation(client, penalty, now);
    assertThat(redis.recordViolation(client, penalty, now)).isEqualTo(standing(1, second));
  }

  private static PenaltyStanding standing(int level, long remainingNanos) {
    return new PenaltyStanding(level, remainingNanos);
  }

  private static void compare(Penalty first, Penalty second, List<Step> steps) {
    PenaltyStore box = PenaltyStore.inMemory(1_000);
    // a fresh store per try: its memory of penalties in force starts empty like the box
    PenaltyStore redis = store.penalties(1_000);
    String run = "run-" + RUN.incrementAndGet() + "-";
    long now = 1_000_000_000_000L;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      Penalty penalty = i < steps.size() / 2 ? first : second;
      now += step.gapNanos();
      String client = run + step.client();
      PenaltyStanding expected;
      PenaltyStanding actual;
      if (step.violation()) {
        expected = box.recordViolation(client, penalty, now);
        actual = redis.recordViolation(client, penalty, now);
      } else {
        expected = box.check(client, now);
        actual = redis.check(client, now);
      }
      assertThat(actual).as("step %d of %s under %s", i, steps, penalty).isEqualTo(expected);
      // a look-up after every step, by every client, must agree as well
      for (int c = 0; c < 3; c++) {
        assertThat(redis.check(run + c, now))
            .as("client %d after step %d of %s under %s", c, i, steps, penalty)
            .isEqualTo(box.check(run + c, now));
      }
    }
  }
}
