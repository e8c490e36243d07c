package dev.sluice.ratelimit.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PenaltyBoxTest {

  @Test
  void remembersAtMostTheConfiguredNumberOfClients() {
    PenaltyBox box = new PenaltyBox(1_000);
    Penalty penalty = Penalty.builder().threshold(2).build();
    long now = 1_000_000_000_000L;
    for (int i = 0; i < 100_000; i++) {
      box.violation("client-" + i, penalty, now + i);
      assertThat(box.size()).isLessThanOrEqualTo(1_001);
    }
  }

  @Test
  void cooldownsGrowByTheMultiplierAndStopAtTheMaximum() {
    Penalty penalty =
        Penalty.builder()
            .cooldown(Duration.ofSeconds(30))
            .multiplier(3)
            .maxCooldown(Duration.ofMinutes(10))
            .build();
    assertThat(penalty.cooldownAt(1)).isEqualTo(Duration.ofSeconds(30));
    assertThat(penalty.cooldownAt(2)).isEqualTo(Duration.ofSeconds(90));
    assertThat(penalty.cooldownAt(3)).isEqualTo(Duration.ofSeconds(270));
    assertThat(penalty.cooldownAt(4)).isEqualTo(Duration.ofMinutes(10));
    assertThat(penalty.cooldownAt(1_000)).isEqualTo(Duration.ofMinutes(10));
  }
}
