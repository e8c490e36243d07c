package dev.sluice.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.time.EpochClock;
import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * With a manual time source whose wall clock and monotonic ticker differ by an arbitrary amount,
 * and whose wall clock may step on its own, clock-aligned windows end where the wall clock crosses
 * a multiple of the window, never where the ticker does; a backward step never opens a used window
 * again, a forward step counts as time passing.
 */
class UtcWindowProperties {
  private static final long MIN_WALL = Instant.parse("2000-01-01T00:00:00Z").toEpochMilli();
  private static final long MAX_WALL = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();
  private static final long STEP = EpochClock.STEP_TOLERANCE_NANOS;

  @Provide
  Arbitrary<Instant> walls() {
    return Arbitraries.longs()
        .between(MIN_WALL, MAX_WALL)
        .flatMap(
            millis ->
                Arbitraries.integers()
                    .between(0, 999_999)
                    .map(nanos -> Instant.ofEpochMilli(millis).plusNanos(nanos)));
  }

  @Provide
  Arbitrary<Duration> windows() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            Duration.ofSeconds(1),
            Duration.ofMinutes(1),
            Duration.ofHours(1),
            Duration.ofDays(1),
            Duration.ofDays(7)),
        Arbitraries.longs().between(2, 90_000).map(Duration::ofMillis));
  }

  @Provide
  Arbitrary<Algorithm> aligned() {
    return Arbitraries.of(Algorithm.FIXED_WINDOW, Algorithm.SLIDING_WINDOW);
  }

  private static List<Limit> limits(Algorithm algorithm, long quota, Duration window) {
    return List.of(Limit.builder("w").quota(quota).window(window).algorithm(algorithm).build());
  }

  /** Nanoseconds from the wall clock's reading to the end of the UTC-aligned window holding it. */
  private static long toWindowEnd(ManualTimeSource time, long window) {
    long wall = EpochClock.epochNanos(time.now());
    return Math.floorDiv(wall, window) * window + window - wall;
  }

  @Property
  void theWindowEndsWhereTheWallClockCrossesAMultipleOfIt(
      @ForAll("walls") Instant wall,
      @ForAll @LongRange(min = 0, max = 400_000_000_000L) long tickerFirst,
      @ForAll @LongRange(min = -90_000_000_000L, max = 90_000_000_000L) long wallStepBefore,
      @ForAll("windows") Duration window,
      @ForAll("aligned") Algorithm algorithm,
      @ForAll @IntRange(min = 1, max = 5) int quota) {
    ManualTimeSource time = new ManualTimeSource(wall);
    // the wall clock and the ticker differ by an arbitrary amount before the limiter is built
    time.advanceNanos(tickerFirst).stepWall(Duration.ofNanos(wallStepBefore));
    RateLimiter limiter = RateLimiter.builder().timeSource(time).build();
    List<Limit> limits = limits(algorithm, quota, window);
    long w = window.toNanos();
    long toEnd = toWindowEnd(time, w);

    for (int i = 0; i < quota; i++) {
      Decision allowed = limiter.decide("k", limits);
      assertThat(allowed.allowed()).isTrue();
      // a fixed window is whole at its end; a sliding one once the next window has passed too
      assertThat(allowed.resetAfterNanos(0))
          .isEqualTo(algorithm == Algorithm.FIXED_WINDOW ? toEnd : toEnd + w);
    }
    Decision refused = limiter.decide("k", limits);
    assertThat(refused.allowed()).isFalse();
    if (algorithm == Algorithm.FIXED_WINDOW) {
      assertThat(refused.retryAfterNanos()).isEqualTo(toEnd);
      time.advanceNanos(toEnd - 1);
      assertThat(limiter.decide("k", limits).allowed()).isFalse();
      time.advanceNanos(1);
      Decision next = limiter.decide("k", limits);
      assertThat(next.allowed()).isTrue();
      assertThat(next.resetAfterNanos(0)).isEqualTo(w);
    } else {
      // the full previous window weighs (w - elapsed) / w: at the wall's multiple it weighs all
      time.advanceNanos(toEnd);
      assertThat(limiter.decide("k", limits).allowed()).isFalse();
      time.advanceNanos(w);
      Decision next = limiter.decide("k", limits);
      assertThat(next.allowed()).isTrue();
      assertThat(next.resetAfterNanos(0)).isEqualTo(2 * w);
    }
  }

  @Property
  void aForwardStepOfTheWallClockCountsAsTimePassing(
      @ForAll("walls") Instant wall,
      @ForAll("windows") Duration window,
      @ForAll @IntRange(min = 1, max = 5) int quota,
      @ForAll @LongRange(min = 2 * STEP, max = 200_000_000_000L) long step) {
    ManualTimeSource time = new ManualTimeSource(wall);
    RateLimiter limiter = RateLimiter.builder().timeSource(time).build();
    List<Limit> limits = limits(Algorithm.FIXED_WINDOW, quota, window);
    long w = window.toNanos();
    for (int i = 0; i < quota; i++) {
      assertThat(limiter.decide("k", limits).allowed()).isTrue();
    }
    long toEnd = toWindowEnd(time, w);

    time.stepWall(Duration.ofNanos(step));

    Decision after = limiter.decide("k", limits);
    if (step >= toEnd) {
      assertThat(after.allowed()).isTrue();
      assertThat(after.resetAfterNanos(0)).isEqualTo(toWindowEnd(time, w));
    } else {
      assertThat(after.allowed()).isFalse();
      assertThat(after.retryAfterNanos()).isEqualTo(toEnd - step);
    }
  }

  /**
   * A limiter whose wall clock stepped back by {@code step} decides, call for call, exactly as a
   * twin whose clock stood still for the length of the step and never stepped: nothing is admitted
   * twice, and once the wall clock has caught up both clocks read the same UTC time.
   */
  @Property
  void aBackwardStepHoldsTimeStillUntilTheWallClockCatchesUp(
      @ForAll("walls") Instant wall,
      @ForAll("windows") Duration window,
      @ForAll("aligned") Algorithm algorithm,
      @ForAll @IntRange(min = 1, max = 5) int quota,
      @ForAll @LongRange(min = 2 * STEP, max = 200_000_000_000L) long step,
      @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 1000) Integer> gaps) {
    ManualTimeSource stepped = new ManualTimeSource(wall);
    ManualTimeSource steady = new ManualTimeSource(wall);
    RateLimiter limiter = RateLimiter.builder().timeSource(stepped).build();
    RateLimiter twin = RateLimiter.builder().timeSource(steady).build();
    List<Limit> limits = limits(algorithm, quota, window);
    for (int i = 0; i < quota; i++) {
      assertSame(limiter.decide("k", limits), twin.decide("k", limits));
    }

    stepped.stepWall(Duration.ofNanos(-step));

    long sinceStep = 0;
    long twinAdvanced = 0;
    assertSame(limiter.decide("k", limits), twin.decide("k", limits));
    for (int gap : gaps) {
      long nanos = step / 250 * gap;
      stepped.advanceNanos(nanos);
      sinceStep += nanos;
      long twinTarget = Math.max(0, sinceStep - step);
      steady.advanceNanos(twinTarget - twinAdvanced);
      twinAdvanced = twinTarget;
      assertSame(limiter.decide("k", limits), twin.decide("k", limits));
    }
    long rest = step + 2 * window.toNanos();
    stepped.advanceNanos(rest);
    steady.advanceNanos(Math.max(0, sinceStep + rest - step) - twinAdvanced);
    assertSame(limiter.decide("k", limits), twin.decide("k", limits));
    assertThat(stepped.now()).isEqualTo(steady.now());
  }

  private static void assertSame(Decision actual, Decision expected) {
    assertThat(actual.allowed()).isEqualTo(expected.allowed());
    assertThat(actual.remaining(0)).isEqualTo(expected.remaining(0));
    assertThat(actual.resetAfterNanos(0)).isEqualTo(expected.resetAfterNanos(0));
    assertThat(actual.retryAfterNanos()).isEqualTo(expected.retryAfterNanos());
  }
}
