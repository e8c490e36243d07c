package dev.sluice.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class RetryDecisionPropertiesTest {

  @Property(tries = 2000)
  void aRetryNeverWaitsLongerThanTheMaxDelayNorPastTheBudget(
      @ForAll @IntRange(min = 1, max = 1_000_000) int attempts,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long elapsedNanos,
      @ForAll @LongRange(min = -1, max = Long.MAX_VALUE / 2) long retryAfterSeconds,
      @ForAll @LongRange(min = 0, max = 100_000) long maxDelayMillis,
      @ForAll boolean giveUpOverMax,
      @ForAll long seed) {
    Duration budget = Duration.ofHours(1);
    RetryPolicy policy =
        RetryPolicy.builder()
            .maxAttempts(Integer.MAX_VALUE)
            .maxElapsed(budget)
            .backoff(
                Backoff.exponential(Duration.ofMillis(10), 3, Duration.ofMinutes(10))
                    .withJitter(Jitter.DECORRELATED))
            .maxDelay(
                Duration.ofMillis(maxDelayMillis),
                giveUpOverMax ? RetrySchedule.OverMaxDelay.GIVE_UP : RetrySchedule.OverMaxDelay.CAP)
            .random(new SplittableRandom(seed))
            .build();
    Duration elapsed = Duration.ofNanos(elapsedNanos);
    Duration retryAfter = retryAfterSeconds < 0 ? null : Duration.ofSeconds(retryAfterSeconds);
    RetryDecision decision = policy.decide(attempts, elapsed, new IOException(), null, retryAfter);
    if (decision instanceof RetryDecision.Retry retry) {
      assertThat(retry.delay()).isBetween(Duration.ZERO, Duration.ofMillis(maxDelayMillis));
      assertThat(elapsed.plus(retry.delay())).isLessThanOrEqualTo(budget);
      if (retryAfter != null && retryAfter.compareTo(Duration.ofMillis(maxDelayMillis)) <= 0) {
        assertThat(retry.delay()).isGreaterThanOrEqualTo(retryAfter);
      }
    } else {
      assertThat(decision).isInstanceOf(RetryDecision.GiveUp.class);
    }
  }
}
