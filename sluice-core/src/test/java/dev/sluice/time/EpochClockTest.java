package dev.sluice.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EpochClockTest {
  private static final Instant START = Instant.parse("2026-03-04T10:00:00.700Z");
  private static final long START_NANOS = EpochClock.epochNanos(START);

  @Test
  void readsTheWallClockInEpochNanosAndFollowsTheTicker() {
    ManualTimeSource time = new ManualTimeSource(START);
    EpochClock clock = EpochClock.of(time);
    assertThat(clock.epochNanos()).isEqualTo(START_NANOS);
    time.advanceNanos(1);
    assertThat(clock.epochNanos()).isEqualTo(START_NANOS + 1);
    time.advance(Duration.ofDays(400));
    assertThat(clock.epochNanos()).isEqualTo(START_NANOS + 1 + Duration.ofDays(400).toNanos());
  }

  @Test
  void ignoresAWallClockThatStraysWithinTheTolerance() {
    ManualTimeSource time = new ManualTimeSource(START);
    EpochClock clock = EpochClock.of(time);
    time.stepWall(Duration.ofNanos(EpochClock.STEP_TOLERANCE_NANOS));
    assertThat(clock.epochNanos()).isEqualTo(START_NANOS);
    time.stepWall(Duration.ofNanos(-2 * EpochClock.STEP_TOLERANCE_NANOS));
    time.advanceNanos(5);
    assertThat(clock.epochNanos()).isEqualTo(START_NANOS + 5);
  }

  @Test
  void followsAForwardStepAtOnce() {
    ManualTimeSource time = new ManualTimeSource(START);
    EpochClock clock = EpochClock.of(time);
    time.advance(Duration.ofMillis(10)).stepWall(Duration.ofMinutes(3));
    long stepped = START_NANOS + Duration.ofMillis(10).plusMinutes(3).toNanos();
    assertThat(clock.epochNanos()).isEqualTo(stepped);
    time.advanceNanos(7);
    assertThat(clock.epochNanos()).isEqualTo(stepped + 7);
  }

  @Test
  void holdsThroughABackwardStepUntilTheWallCatchesUp() {
    ManualTimeSource time = new ManualTimeSource(START);
    EpochClock clock = EpochClock.of(time);
    time.advance(Duration.ofSeconds(1));
    long latest = clock.epochNanos();
    assertThat(latest).isEqualTo(START_NANOS + 1_000_000_000L);

    time.stepWall(Duration.ofMillis(-400));
    assertThat(clock.epochNanos()).isEqualTo(latest);
    time.advance(Duration.ofMillis(399));
    assertThat(clock.epochNanos()).isEqualTo(latest);
    time.advance(Duration.ofMillis(1));
    assertThat(clock.epochNanos()).isEqualTo(latest);
    // caught up: from here on the clock is the stepped wall clock again
    time.advanceNanos(3);
    assertThat(clock.epochNanos()).isEqualTo(latest + 3);
    assertThat(clock.epochNanos()).isEqualTo(EpochClock.epochNanos(time.now()));
  }

  @Test
  void aSecondBackwardStepDuringTheHoldStillNeverGoesBack() {
    ManualTimeSource time = new ManualTimeSource(START);
    EpochClock clock = EpochClock.of(time);
    long latest = clock.epochNanos();
    time.stepWall(Duration.ofSeconds(-10));
    assertThat(clock.epochNanos()).isEqualTo(latest);
    time.advance(Duration.ofSeconds(2)).stepWall(Duration.ofSeconds(-5));
    assertThat(clock.epochNanos()).isEqualTo(latest);
    time.advance(Duration.ofSeconds(13));
    assertThat(clock.epochNanos()).isEqualTo(latest);
    time.advanceNanos(1);
    assertThat(clock.epochNanos()).isEqualTo(latest + 1);
  }

  @Test
  void theSystemClockAgreesWithTheWallClockWithinTheTolerance() {
    EpochClock clock = EpochClock.of(TimeSource.system());
    long before = EpochClock.epochNanos(TimeSource.system().now());
    long reading = clock.epochNanos();
    long after = EpochClock.epochNanos(TimeSource.system().now());
    assertThat(reading)
        .isBetween(
            before - EpochClock.STEP_TOLERANCE_NANOS, after + EpochClock.STEP_TOLERANCE_NANOS);
  }

  @Test
  void convertsInstantsAndClampsTheFarOnes() {
    assertThat(EpochClock.epochNanos(Instant.EPOCH)).isZero();
    assertThat(EpochClock.epochNanos(Instant.ofEpochSecond(-1, 5))).isEqualTo(-999_999_995L);
    assertThat(EpochClock.epochNanos(Instant.MAX)).isEqualTo(Long.MAX_VALUE);
    assertThat(EpochClock.epochNanos(Instant.MIN)).isEqualTo(Long.MIN_VALUE + 1);
  }
}
