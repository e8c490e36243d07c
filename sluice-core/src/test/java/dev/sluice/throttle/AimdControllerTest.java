package dev.sluice.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AimdControllerTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = 1_000 * SECOND;

  private static ThrottleConfig.Builder config() {
    return ThrottleConfig.builder()
        .maxConcurrency(16)
        .minDispatchInterval(Duration.ofMillis(100))
        .maxDispatchInterval(Duration.ofSeconds(1))
        .failureThreshold(3)
        .failureWindow(Duration.ofSeconds(60))
        .coolingPeriod(Duration.ofSeconds(10))
        .safeCeilingDecay(Duration.ofSeconds(300));
  }

  private static void fail(AimdController aimd, long at, int times) {
    for (int i = 0; i < times; i++) {
      aimd.onFailure(at, -1);
    }
  }

  @Test
  void slowDownHalvesConcurrencyDoublesIntervalAndSetsTheCeilingToTheOldConcurrency() {
    AimdController aimd = new AimdController(config().build(), T0);

    aimd.onFailure(T0, -1);
    aimd.onFailure(T0, -1);
    assertThat(aimd.concurrency()).isEqualTo(16);
    assertThat(aimd.onFailure(T0, -1)).isEqualTo(AimdController.Verdict.SLOWED_DOWN);

    assertThat(aimd.concurrency()).isEqualTo(8);
    assertThat(aimd.intervalNanos()).isEqualTo(200_000_000L);
    assertThat(aimd.ceiling()).isEqualTo(16);
    assertThat(aimd.cooling()).isTrue();
    assertThat(aimd.failuresInWindow(T0)).isZero();
    assertThat(aimd.last())
        .isEqualTo(new Adjustment(16, 8, Duration.ofMillis(100), Duration.ofMillis(200), 16));
  }

  @Test
  void concurrencyFloorsAtOneAndIntervalCapsAtMax() {
    AimdController aimd = new AimdController(config().maxConcurrency(1).build(), T0);
    for (int i = 0; i < 10; i++) {
      fail(aimd, T0, 3);
    }
    assertThat(aimd.concurrency()).isEqualTo(1);
    assertThat(aimd.intervalNanos()).isEqualTo(SECOND);
  }

  @Test
  void failuresOlderThanTheWindowDoNotCount() {
    AimdController aimd = new AimdController(config().build(), T0);
    fail(aimd, T0, 2);
    assertThat(aimd.onFailure(T0 + 61 * SECOND, -1)).isEqualTo(AimdController.Verdict.COUNTED);
    assertThat(aimd.concurrency()).isEqualTo(16);
  }

  @Test
  void speedsUpAgainAndAgainAfterEachCoolingPeriodUpToTheCeiling() {
    AimdController aimd = new AimdController(config().build(), T0);
    fail(aimd, T0, 3); // 16 -> 8, interval 200 ms
    fail(aimd, T0, 3); // 8 -> 4, interval 400 ms, ceiling 8

    List<AimdController.Step> first = aimd.review(T0 + 10 * SECOND);
    assertThat(first).hasSize(1);
    assertThat(aimd.concurrency()).isEqualTo(5);
    assertThat(aimd.intervalNanos()).isEqualTo(200_000_000L);

    List<AimdController.Step> more = aimd.review(T0 + 40 * SECOND);
    assertThat(more).hasSize(3);
    assertThat(aimd.concurrency()).isEqualTo(8);
    assertThat(aimd.intervalNanos()).isEqualTo(100_000_000L);
    assertThat(aimd.cooling()).isFalse();

    assertThat(aimd.review(T0 + 100 * SECOND)).isEmpty();
    assertThat(aimd.concurrency()).isEqualTo(8);
  }

  @Test
  void aFailureBelowTheThresholdRestartsTheCoolingPeriod() {
    AimdController aimd = new AimdController(config().build(), T0);
    fail(aimd, T0, 3);
    aimd.onFailure(T0 + 9 * SECOND, -1);
    assertThat(aimd.review(T0 + 10 * SECOND)).isEmpty();
    assertThat(aimd.review(T0 + 19 * SECOND)).hasSize(1);
  }

  @Test
  void ceilingDecaysBackToMaxAfterTheDecayPeriodWithoutFailure() {
    AimdController aimd = new AimdController(config().build(), T0);
    fail(aimd, T0, 3); // ceiling 16 (was at max)
    fail(aimd, T0, 3); // 8 -> 4, ceiling 8
    assertThat(aimd.ceiling()).isEqualTo(8);

    List<AimdController.Step> steps = aimd.review(T0 + 300 * SECOND);

    assertThat(aimd.ceiling()).isEqualTo(16);
    assertThat(steps).anyMatch(AimdController.Step::ceilingReset);
    aimd.review(T0 + 400 * SECOND);
    assertThat(aimd.concurrency()).isEqualTo(16);
  }

  @Test
  void slowingDownAtALearnedCeilingLowersItSoTheThrottleHoldsTheHighestSafeConcurrency() {
    AimdController aimd = new AimdController(config().initialConcurrency(6).build(), T0);
    fail(aimd, T0, 3); // failed at 6: 6 -> 3, ceiling 6
    assertThat(aimd.ceiling()).isEqualTo(6);
    aimd.review(T0 + 30 * SECOND); // back to 6
    assertThat(aimd.concurrency()).isEqualTo(6);

    fail(aimd, T0 + 31 * SECOND, 3); // fails again at the ceiling

    assertThat(aimd.ceiling()).isEqualTo(5);
    aimd.review(T0 + 200 * SECOND);
    assertThat(aimd.concurrency()).isEqualTo(5);
  }

  @Test
  void failuresOfCallsDispatchedBeforeTheLatestSlowDownAreNotCounted() {
    AimdController aimd = new AimdController(config().build(), T0);
    long before = aimd.generation();
    fail(aimd, T0, 3);

    for (int i = 0; i < 20; i++) {
      assertThat(aimd.onFailure(T0, before)).isEqualTo(AimdController.Verdict.STALE);
    }

    assertThat(aimd.concurrency()).isEqualTo(8);
    assertThat(aimd.onFailure(T0, aimd.generation())).isEqualTo(AimdController.Verdict.COUNTED);
  }

  @Test
  void initialConcurrencyBelowMaxGrowsOrganicallyToMax() {
    AimdController aimd =
        new AimdController(config().maxConcurrency(10).initialConcurrency(1).build(), T0);
    assertThat(aimd.cooling()).isFalse();
    aimd.review(T0 + 90 * SECOND);
    assertThat(aimd.concurrency()).isEqualTo(10);
  }

  @Test
  void atConcurrencyOneWithNoIntervalASlowDownStartsTheIntervalFromTheObservedSpacing() {
    AimdController aimd =
        new AimdController(
            config().maxConcurrency(1).minDispatchInterval(Duration.ZERO).build(), T0);
    aimd.onFailure(T0, -1, 50_000_000L);
    aimd.onFailure(T0, -1, 50_000_000L);
    aimd.onFailure(T0, -1, 50_000_000L);
    assertThat(aimd.concurrency()).isEqualTo(1);
    assertThat(aimd.intervalNanos()).isEqualTo(100_000_000L);

    aimd.review(T0 + 10 * SECOND);
    assertThat(aimd.intervalNanos()).isEqualTo(50_000_000L);
  }

  @Test
  void anIntervalWithinAMillisecondOfItsFloorSnapsToIt() {
    AimdController aimd =
        new AimdController(
            config().maxConcurrency(1).minDispatchInterval(Duration.ZERO).build(), T0);
    fail(aimd, T0, 0);
    aimd.onFailure(T0, -1, 1_500_000L);
    aimd.onFailure(T0, -1, 1_500_000L);
    aimd.onFailure(T0, -1, 1_500_000L); // interval 3 ms
    aimd.review(T0 + 10 * SECOND); // 1.5 ms
    aimd.review(T0 + 20 * SECOND); // 0.75 ms: snaps to 0
    assertThat(aimd.intervalNanos()).isZero();
    assertThat(aimd.cooling()).isFalse();
    assertThat(aimd.review(T0 + 100 * SECOND)).isEmpty();
  }

  @Property
  void limitsStayWithinTheirBoundsWhateverHappens(
      @ForAll @IntRange(min = 1, max = 64) int max, @ForAll("events") List<Long> events) {
    AimdController aimd = new AimdController(config().maxConcurrency(max).build(), T0);
    long now = T0;
    for (long event : events) {
      if (event < 0) {
        aimd.onFailure(now, -1);
      } else {
        now += event * SECOND;
        aimd.review(now);
      }
      assertThat(aimd.concurrency()).isBetween(1, max);
      assertThat(aimd.ceiling()).isBetween(1, max);
      assertThat(aimd.concurrency()).isLessThanOrEqualTo(Math.max(aimd.ceiling(), 1));
      assertThat(aimd.intervalNanos()).isBetween(100_000_000L, SECOND);
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<List<Long>> events() {
    return net.jqwik.api.Arbitraries.longs().between(-1, 30).list().ofMaxSize(200);
  }
}
