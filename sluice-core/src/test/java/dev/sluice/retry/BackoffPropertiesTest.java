package dev.sluice.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class BackoffPropertiesTest {

  @Property
  void exponentialDelayIsNeverNegativeNorAboveTheCap(
      @ForAll @LongRange(min = 1, max = 10_000) long initialMillis,
      @ForAll @IntRange(min = 1, max = 1000) int extraMillis,
      @ForAll("multipliers") double multiplier,
      @ForAll("jitters") Jitter jitter,
      @ForAll @IntRange(min = 1, max = 10_000) int attempt,
      @ForAll long seed) {
    Duration cap = Duration.ofMillis(initialMillis + extraMillis);
    Backoff backoff =
        Backoff.exponential(Duration.ofMillis(initialMillis), multiplier, cap).withJitter(jitter);
    Duration delay = backoff.delayFor(attempt, null, new SplittableRandom(seed));
    assertThat(delay).isBetween(Duration.ZERO, cap);
  }

  @Provide
  Arbitrary<Double> multipliers() {
    return Arbitraries.doubles().between(1, 100);
  }

  @Provide
  Arbitrary<Jitter> jitters() {
    return Arbitraries.of(
        Jitter.NONE, Jitter.FULL, Jitter.DECORRELATED, Jitter.factor(0.5), Jitter.factor(1));
  }
}
