package dev.sluice.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Clock-aligned windows fall on UTC epoch multiples taken from the time source's wall clock, not on
 * multiples of its monotonic ticker (whose origin is arbitrary and differs between processes).
 */
class UtcWindowsTest {
  /** The ticker of a manual time source starts at 1000 s, a whole number of seconds. */
  private static final Instant WALL = Instant.parse("2026-03-04T10:00:00.700Z");

  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      names = {"FIXED_WINDOW", "SLIDING_WINDOW"})
  void aOneSecondWindowEndsAtTheNextWallSecondNotAtTheTickersMultiple(Algorithm algorithm) {
    ManualTimeSource time = new ManualTimeSource(WALL);
    RateLimiter limiter = RateLimiter.builder().timeSource(time).build();
    List<Limit> limits =
        List.of(
            Limit.builder("per-second")
                .quota(1)
                .window(Duration.ofSeconds(1))
                .algorithm(algorithm)
                .build());

    Decision first = limiter.decide("k", limits);
    assertThat(first.allowed()).isTrue();
    // the window in force is 10:00:00.000 to 10:00:01.000 UTC: 300 ms are left of it
    long windowEnd = Duration.ofMillis(300).toNanos();
    long resetAfter = algorithm == Algorithm.FIXED_WINDOW ? windowEnd : windowEnd + 1_000_000_000L;
    assertThat(first.resetAfterNanos(0)).isEqualTo(resetAfter);

    Decision refused = limiter.decide("k", limits);
    assertThat(refused.allowed()).isFalse();
    if (algorithm == Algorithm.FIXED_WINDOW) {
      assertThat(refused.retryAfterNanos()).isEqualTo(windowEnd);
      time.advanceNanos(windowEnd - 1);
      assertThat(limiter.decide("k", limits).allowed()).isFalse();
      time.advanceNanos(1);
      assertThat(limiter.decide("k", limits).allowed()).isTrue();
    } else {
      // weighted: the previous second's one permit weighs fully at 10:00:01.000 and is gone by
      // 10:00:02.000; the quota of 1 is free again only then
      assertThat(refused.retryAfterNanos()).isEqualTo(windowEnd + 1_000_000_000L);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Algorithm.class,
      names = {"FIXED_WINDOW", "SLIDING_WINDOW"})
  void aDayIsAUtcDay(Algorithm algorithm) {
    ManualTimeSource time = new ManualTimeSource(Instant.parse("2026-03-04T18:00:00Z"));
    RateLimiter limiter = RateLimiter.builder().timeSource(time).build();
    List<Limit> limits =
        List.of(
            Limit.builder("per-day")
                .quota(1000)
                .window(Duration.ofDays(1))
                .algorithm(algorithm)
                .build());

    Decision first = limiter.decide("k", limits);
    // six hours are left of the UTC day 2026-03-04
    long toMidnight = Duration.ofHours(6).toNanos();
    long expected =
        algorithm == Algorithm.FIXED_WINDOW
            ? toMidnight
            : toMidnight + Duration.ofDays(1).toNanos();
    assertThat(first.resetAfterNanos(0)).isEqualTo(expected);
  }
}
