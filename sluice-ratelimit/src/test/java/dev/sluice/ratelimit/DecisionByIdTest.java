package dev.sluice.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ratelimit.store.MemoryStore;
import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionByIdTest {
  private final List<Limit> limits =
      List.of(
          Limit.of("per-second", 2, Duration.ofSeconds(1)),
          Limit.of("per-minute", 100, Duration.ofMinutes(1)));

  @Test
  void perLimitFiguresAreReadableByIdAsByIndex() {
    RateLimiter limiter =
        RateLimiter.builder()
            .store(MemoryStore.withMaxKeys(10))
            .timeSource(new ManualTimeSource())
            .build();
    limiter.decide("k", limits);
    limiter.decide("k", limits);
    Decision refused = limiter.decide("k", limits);

    assertThat(refused.indexOf("per-minute")).isEqualTo(1);
    assertThat(refused.indexOf("per-hour")).isEqualTo(-1);
    assertThat(refused.violated("per-second")).isTrue();
    assertThat(refused.violated("per-minute")).isFalse();
    assertThat(refused.remaining("per-minute")).isEqualTo(refused.remaining(1)).isEqualTo(98);
    assertThat(refused.resetAfter("per-second")).isEqualTo(refused.resetAfter(0));
  }

  @Test
  void anUnknownIdIsAnErrorThatNamesItAndTheLimitsThereAre() {
    Decision decision =
        Decision.of(limits, new long[] {1, 99}, new long[] {1, 1}, 0, new boolean[2]);

    assertThatThrownBy(() -> decision.remaining("per-hour"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "decision has no limit with id \"per-hour\" (its limits: [per-second, per-minute])");
  }

  @Test
  void aDecisionMadeElsewhereTakesOneViolatedFlagPerLimit() {
    Decision refused =
        Decision.of(limits, new long[] {0, 99}, new long[] {1, 1}, 5, new boolean[] {true, false});

    assertThat(refused.allowed()).isFalse();
    assertThat(refused.violatedLimitIds()).containsExactly("per-second");
    assertThat(
            Decision.of(limits, new long[] {1, 99}, new long[] {1, 1}, 0, new boolean[2]).allowed())
        .isTrue();
    assertThatThrownBy(
            () -> Decision.of(limits, new long[] {1, 99}, new long[] {1, 1}, 0, new boolean[1]))
        .hasMessage("decision.violated must have one value per limit, was 1 for 2");
  }
}
