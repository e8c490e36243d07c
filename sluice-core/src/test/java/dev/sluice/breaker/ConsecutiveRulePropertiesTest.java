package dev.sluice.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.time.ManualTimeSource;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ConsecutiveRulePropertiesTest {

  /** A closed breaker with only the consecutive rule opens exactly when a plain counter says so. */
  @Property
  void opensExactlyWhenTheStreakReachesTheThreshold(
      @ForAll @IntRange(min = 1, max = 8) int threshold,
      @ForAll @Size(max = 60) List<Boolean> failures) {
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .config(CircuitBreakerConfig.builder().consecutiveFailures(threshold).build())
            .timeSource(new ManualTimeSource())
            .build();
    int streak = 0;
    for (boolean failure : failures) {
      if (breaker.state() != CircuitState.CLOSED) {
        break;
      }
      CircuitPermit permit = breaker.acquire();
      if (failure) {
        permit.recordFailure();
        streak++;
      } else {
        permit.recordSuccess();
        streak = 0;
      }
      assertThat(breaker.state())
          .isEqualTo(streak >= threshold ? CircuitState.OPEN : CircuitState.CLOSED);
    }
  }
}
