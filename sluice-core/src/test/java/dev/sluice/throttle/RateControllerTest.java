package dev.sluice.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rate controller's rules, on ticker readings given by hand. */
class RateControllerTest {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;
  private static final long ROUND_TRIP = 50 * MS;

  private final CallMeter meter = new CallMeter(0);
  private long now;

  private RateController controller(ThrottleConfig.Builder builder) {
    return new RateController(builder.build(), meter, 0);
  }

  private static ThrottleConfig.Builder standard() {
    return ThrottleConfig.builder().maxConcurrency(32);
  }

  /** Successes at {@code perSecond} for {@code seconds}, the controller reviewed every tick. */
  private void succeed(RateController c, double perSecond, double seconds, boolean waiting) {
    long end = now + (long) (seconds * SECOND);
    long gap = (long) (SECOND / perSecond);
    long nextSuccess = now + gap;
    while (now < end) {
      now = Math.min(end, Math.min(nextSuccess, now + RateController.TICK_NANOS));
      if (now == nextSuccess) {
        meter.record(now, ROUND_TRIP);
        nextSuccess += gap;
      }
      c.review(now, waiting);
    }
  }

  private static double rate(RateController c) {
    return c.rate();
  }

  @Test
  void anUnknownServerGetsTwoCallsPerSecondAndOneCallInFlight() {
    RateController c = controller(standard());
    assertThat(c.concurrency()).isEqualTo(1);
    assertThat(c.intervalNanos()).isEqualTo(500 * MS);
    assertThat(c.slowStart()).isTrue();
  }

  @Test
  void slowStartDoublesTheRateAfterEveryStepWithTwoSuccesses() {
    RateController c = controller(standard());
    succeed(c, 2, 1.0, true);
    assertThat(rate(c)).isGreaterThanOrEqualTo(4);
    succeed(c, rate(c), 2.0, true);
    assertThat(rate(c)).isGreaterThanOrEqualTo(32);
  }

  @Test
  void slowStartDoesNotGrowARateNobodyWaitsFor() {
    RateController c = controller(standard());
    succeed(c, 2, 5.0, false);
    assertThat(rate(c)).isEqualTo(2.0);
  }

  @Test
  void concurrencyFollowsTheRateOverTwiceTheRoundTrip() {
    RateController c = controller(standard().initialRate(40));
    succeed(c, 40, 0.5, false);
    // 40/s over 2 x 50 ms is 4 calls, plus one
    assertThat(c.concurrency()).isEqualTo(5);
  }

  @Test
  void aFailureJustOverTheLimitSlowsToNinetyPercentOfAMaximumBelowTheRateThatFailed() {
    RateController c = controller(standard().initialRate(50));
    succeed(c, 50, 2.0, false);
    assertThat(c.onFailure(now, c.generation())).isEqualTo(RateController.Verdict.SLOWED_DOWN);
    // the limit is below the 50/s that failed: the maximum is 95% of it, the rate 90% of that
    assertThat(rate(c)).isCloseTo(0.9 * 47.5, org.assertj.core.data.Offset.offset(0.5));
    assertThat(c.last().newInterval()).isEqualTo(Duration.ofNanos(c.intervalNanos()));
    assertThat(c.slowStart()).isFalse();
  }

  @Test
  void aFailureFarOverTheLimitSlowsTowardsWhatTheServerAdmittedAtMostHalvingAtOnce() {
    RateController c = controller(standard().initialRate(100));
    succeed(c, 100, 2.0, false);
    c.onFailure(now, c.generation()); // leaves slow start at 0.9 x 95/s = 85.5/s
    long generation = c.generation();
    for (int i = 0; i < 40; i++) { // a second at 20 admitted and 40 refused per second
      now += 25 * MS;
      if (i % 2 == 0) {
        meter.record(now, ROUND_TRIP);
      } else {
        meter.recordFailure(now);
      }
      meter.recordFailure(now);
    }
    assertThat(c.onFailure(now, generation)).isEqualTo(RateController.Verdict.SLOWED_DOWN);
    // 20/s admitted of 85.5/s in force: the cut stops at half, 90% of 42.75/s
    assertThat(rate(c)).isCloseTo(0.9 * 42.75, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void failuresOfCallsDispatchedBeforeASlowDownAreStale() {
    RateController c = controller(standard().initialRate(50));
    succeed(c, 50, 2.0, false);
    long before = c.generation();
    c.onFailure(now, before);
    double after = rate(c);
    assertThat(c.onFailure(now, before)).isEqualTo(RateController.Verdict.STALE);
    assertThat(rate(c)).isEqualTo(after);
  }

  @Test
  void afterTheHoldItClimbsBackToTheKnownMaximumWithinSeconds() {
    RateController c = controller(standard().initialRate(50));
    succeed(c, 50, 2.0, false);
    c.onFailure(now, c.generation());
    double slowed = rate(c);
    succeed(c, slowed, 0.9, true); // inside the 1 s hold
    assertThat(rate(c)).isEqualTo(slowed);
    assertThat(c.cooling(now)).isTrue();
    succeed(c, slowed, 5.0, true);
    assertThat(rate(c)).isGreaterThanOrEqualTo(0.98 * 47.5);
    assertThat(c.cooling(now)).isFalse();
  }

  @Test
  void afterRecoveringItSearchesUpToTheRateThatFailedAndThenBeyond() {
    RateController c = controller(standard().initialRate(50));
    succeed(c, 50, 2.0, false);
    c.onFailure(now, c.generation());
    succeed(c, rate(c), 3.0, true);
    assertThat(rate(c)).isLessThan(50); // held below the rate that failed for 100 calls first
    succeed(c, rate(c), 20.0, true);
    assertThat(rate(c)).isGreaterThan(50); // no failure at 50 this time: the limit rose
  }

  @Test
  void aRateHeldWithoutFailureIsWhereRecoveryReturnsWhateverTheServerAdmittedWhenOver() {
    RateController c = controller(standard().initialRate(50));
    succeed(c, 50, 2.0, false);
    c.onFailure(now, c.generation());
    succeed(c, rate(c), 8.0, true); // recovered, then searching up towards 50/s
    double probed = rate(c);
    assertThat(probed).isGreaterThan(47.5);
    // a server without burst allowance refuses every other call just over its limit: what it
    // admitted then (half) says less about the limit than the rate held for seconds before
    for (int i = 0; i < 40; i++) {
      now += 25 * MS;
      if (i % 2 == 0) {
        meter.record(now, ROUND_TRIP);
      } else {
        meter.recordFailure(now);
      }
    }
    c.onFailure(now, c.generation());
    succeed(c, rate(c), 4.0, true);
    assertThat(rate(c)).isGreaterThanOrEqualTo(0.98 * 45);
  }

  @Test
  void withoutFailuresItKeepsProbingAndFollowsADoubledLimitWithinAMinute() {
    RateController c = controller(standard().initialRate(50));
    succeed(c, 50, 2.0, false);
    c.onFailure(now, c.generation());
    for (int second = 0; second < 60; second++) {
      succeed(c, rate(c), 1.0, true);
    }
    assertThat(rate(c)).isGreaterThanOrEqualTo(0.9 * 100);
  }

  @Test
  void probingStartsGentlyNearTheKnownMaximum() {
    RateController c = controller(standard().initialRate(50));
    succeed(c, 50, 2.0, false);
    c.onFailure(now, c.generation());
    succeed(c, 45, 4.0, true); // hold, then recovery to the known maximum
    double near = rate(c);
    succeed(c, near, 2.0, true);
    assertThat(rate(c) / near).isBetween(1.0, 1.03);
  }

  @Test
  void itDoesNotGrowWhileNobodyWaitsForTheRate() {
    RateController c = controller(standard().initialRate(50));
    succeed(c, 50, 2.0, false);
    c.onFailure(now, c.generation());
    double slowed = rate(c);
    succeed(c, slowed, 30.0, false);
    assertThat(rate(c)).isEqualTo(slowed);
  }

  @Test
  void theServersStatedRateEndsSlowStartAtOnce() {
    RateController c = controller(standard());
    c.onServerRate(0, 50, 60 * SECOND);
    assertThat(c.slowStart()).isFalse();
    assertThat(rate(c)).isEqualTo(50);
  }

  @Test
  void theKnownMaximumIsForgottenAfterTheDecayPeriod() {
    RateController c =
        controller(standard().initialRate(50).safeCeilingDecay(Duration.ofSeconds(30)));
    succeed(c, 50, 2.0, false);
    c.onFailure(now, c.generation());
    assertThat(c.ceiling()).isLessThan(32);
    now += 31 * SECOND;
    List<RateController.Step> steps = c.review(now, false);
    assertThat(steps).anyMatch(RateController.Step::ceilingReset);
    assertThat(c.ceiling()).isEqualTo(32);
  }

  @Test
  void nothingSucceedingHalvesTheRate() {
    RateController c = controller(standard().initialRate(40));
    now += 2 * SECOND;
    c.onFailure(now, c.generation());
    assertThat(rate(c)).isEqualTo(20);
  }
}
