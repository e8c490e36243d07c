package dev.sluice.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration MS100 = Duration.ofMillis(100);

  @Test
  void fixedBackoffWaitsTheSameDelayEveryTime() {
    Backoff backoff = Backoff.fixed(Duration.ofSeconds(2));
    for (int attempt = 1; attempt <= 5; attempt++) {
      assertThat(backoff.delayFor(attempt, null, new SplittableRandom(1)))
          .isEqualTo(Duration.ofSeconds(2));
    }
  }

  @Test
  void exponentialBackoffDoublesUntilTheCap() {
    Backoff backoff = Backoff.exponential(MS100, 2, Duration.ofMillis(1000));
    List<Duration> delays = sequence(backoff, 7, new SplittableRandom(1));
    assertThat(delays)
        .containsExactly(
            Duration.ofMillis(100),
            Duration.ofMillis(200),
            Duration.ofMillis(400),
            Duration.ofMillis(800),
            Duration.ofMillis(1000),
            Duration.ofMillis(1000),
            Duration.ofMillis(1000));
  }

  @Test
  void exponentialBackoffStaysAtTheCapForHugeAttemptNumbers() {
    Backoff backoff = Backoff.exponential(MS100, 10, Duration.ofHours(1));
    assertThat(backoff.delayFor(Integer.MAX_VALUE, null, new SplittableRandom(1)))
        .isEqualTo(Duration.ofHours(1));
  }

  @Test
  void sameSeedGivesTheSameJitteredSequence() {
    for (Jitter jitter : List.of(Jitter.FULL, Jitter.DECORRELATED, Jitter.factor(0.25))) {
      Backoff backoff = Backoff.exponential(MS100, 2, Duration.ofSeconds(10)).withJitter(jitter);
      assertThat(sequence(backoff, 12, new SplittableRandom(42)))
          .as("jitter %s", jitter)
          .isEqualTo(sequence(backoff, 12, new SplittableRandom(42)))
          .isNotEqualTo(sequence(backoff, 12, new SplittableRandom(43)));
    }
  }

  @Test
  void fullJitterDrawsUniformlyBelowTheExponentialDelay() {
    Backoff backoff = Backoff.exponential(MS100, 2, Duration.ofSeconds(10)).withJitter(Jitter.FULL);
    SplittableRandom twin = new SplittableRandom(7);
    List<Duration> delays = sequence(backoff, 10, new SplittableRandom(7));
    for (int attempt = 1; attempt <= 10; attempt++) {
      long base = Math.min(10_000_000_000L, 100_000_000L << (attempt - 1));
      long expected = (long) (base * twin.nextDouble());
      assertThat(delays.get(attempt - 1).toNanos()).isEqualTo(expected).isLessThan(base);
    }
  }

  @Test
  void factorJitterStaysWithinPlusOrMinusTheFactor() {
    Backoff backoff = Backoff.fixed(Duration.ofSeconds(10)).withJitter(Jitter.factor(0.2));
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 1000; i++) {
      assertThat(backoff.delayFor(1, null, random))
          .isBetween(Duration.ofSeconds(8), Duration.ofSeconds(12));
    }
  }

  @Test
  void decorrelatedJitterStaysBetweenInitialAndThreeTimesThePreviousDelayCapped() {
    Backoff backoff =
        Backoff.exponential(MS100, 2, Duration.ofSeconds(5)).withJitter(Jitter.DECORRELATED);
    SplittableRandom random = new SplittableRandom(11);
    Duration previous = null;
    for (int attempt = 1; attempt <= 50; attempt++) {
      Duration delay = backoff.delayFor(attempt, previous, random);
      Duration upper = previous == null ? Duration.ofMillis(300) : previous.multipliedBy(3);
      assertThat(delay).isBetween(MS100, min(upper, Duration.ofSeconds(5)));
      previous = delay;
    }
  }

  @Test
  void invalidBackoffsAreRejectedNamingKeyRuleAndValue() {
    assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, 2, Duration.ofSeconds(1)))
        .hasMessage("retry.backoff.initial-delay must be > 0, was PT0S");
    assertThatThrownBy(() -> Backoff.exponential(MS100, 0.5, Duration.ofSeconds(1)))
        .hasMessage("retry.backoff.multiplier must be a finite number >= 1, was 0.5");
    assertThatThrownBy(() -> Backoff.exponential(MS100, 2, Duration.ofMillis(50)))
        .hasMessage("retry.backoff.max-delay must be >= initial-delay (PT0.1S), was PT0.05S");
    assertThatThrownBy(() -> Backoff.fixed(Duration.ofSeconds(-1)))
        .hasMessage("retry.backoff.delay must be >= 0, was PT-1S");
    assertThatThrownBy(() -> Backoff.fixed(MS100).withJitter(Jitter.DECORRELATED))
        .hasMessageContaining("retry.backoff.jitter must not be DECORRELATED");
    assertThatThrownBy(() -> Jitter.factor(1.5))
        .hasMessage("retry.jitter.factor must be within [0, 1], was 1.5");
    assertThatThrownBy(() -> Backoff.fixed(MS100).delayFor(0, null, new SplittableRandom(1)))
        .hasMessage("retry attempt must be >= 1, was 0");
  }

  static List<Duration> sequence(Backoff backoff, int n, RandomGenerator random) {
    List<Duration> delays = new ArrayList<>();
    Duration previous = null;
    for (int attempt = 1; attempt <= n; attempt++) {
      previous = backoff.delayFor(attempt, previous, random);
      delays.add(previous);
    }
    return delays;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
