package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.policy.Penalty;
import dev.sluice.ratelimit.policy.PenaltyStanding;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PenaltyScriptsTest {
  private final PenaltyScripts micros = PenaltyScripts.redisClock();

  private static Penalty penalty(long multiplier, Duration cooldown, Duration max) {
    return Penalty.builder()
        .threshold(3)
        .window(Duration.ofSeconds(10))
        .cooldown(cooldown)
        .multiplier(multiplier)
        .maxCooldown(max)
        .resetAfter(Duration.ofMinutes(1))
        .build();
  }

  @Test
  void theArgumentsNameEveryLevelsCooldownUpToTheFirstAtTheMaximum() {
    String[] args =
        micros.violationArgs(penalty(3, Duration.ofSeconds(1), Duration.ofSeconds(20)), 42);
    // Redis' clock, 1000 us per ms for the TTL, threshold, window, reset-after, then the cooldowns
    assertThat(Arrays.asList(args))
        .containsExactly(
            "", "1000", "3", "10000000", "60000000", "1000000", "3000000", "9000000", "20000000");
  }

  @Test
  void aMultiplierOfOneNamesOneCooldown() {
    String[] args =
        micros.violationArgs(penalty(1, Duration.ofSeconds(1), Duration.ofSeconds(20)), 42);
    assertThat(args).hasSize(6).endsWith("1000000");
  }

  @Test
  void tinyCooldownsRoundUpToAMicrosecondAndStillGrowLevelByLevel() {
    String[] args =
        micros.violationArgs(penalty(2, Duration.ofNanos(1), Duration.ofNanos(4_000)), 42);
    // 1, 2, 4 ... 2048 ns, then 4000: every level named, rounded up to whole microseconds
    assertThat(args).hasSize(5 + 13).endsWith("4");
    assertThat(args[5]).isEqualTo("1");
  }

  @Test
  void durationsBeyondWhatLuaHoldsExactlyAreCapped() {
    Penalty huge = penalty(2, Duration.ofDays(365L * 200), Duration.ofDays(365L * 200));
    String[] args = micros.violationArgs(huge, 42);
    assertThat(Long.parseLong(args[5])).isEqualTo(PenaltyScripts.MAX_UNITS);
  }

  @Test
  void theCallersClockIsPassedInNanosecondsWithoutTtl() {
    PenaltyScripts caller = PenaltyScripts.callerClock();
    String[] args =
        caller.violationArgs(penalty(2, Duration.ofSeconds(1), Duration.ofSeconds(2)), 7);
    assertThat(args[0]).isEqualTo("7");
    assertThat(args[1]).isEqualTo("0");
    assertThat(caller.checkArgs(9)).containsExactly("9");
  }

  @Test
  void repliesAreReadInTheScriptsUnits() {
    assertThat(micros.standing(List.of(2L, 1_500L, 1L)))
        .isEqualTo(new PenaltyStanding(2, 1_500_000));
    assertThat(PenaltyScripts.started(List.of(2L, 1_500L, 1L))).isTrue();
    assertThat(PenaltyScripts.started(List.of(0L, 0L))).isFalse();
  }

  @Test
  void theRecordKeySharesTheStoresPrefixAndHashTag() {
    assertThat(micros.keys(new RedisKeys("p:"), "ip:{x}"))
        .containsExactly("p:{ip:%7Bx%7D}:~penalty");
  }
}
