package dev.sluice.ratelimit.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PenaltyStoreTest {
  private static final Penalty PENALTY =
      Penalty.builder()
          .threshold(2)
          .window(Duration.ofMinutes(1))
          .cooldown(Duration.ofMinutes(1))
          .multiplier(2)
          .maxCooldown(Duration.ofMinutes(3))
          .resetAfter(Duration.ofMinutes(10))
          .build();

  private final ManualTimeSource time = new ManualTimeSource();

  private PolicyEnforcer node(PenaltyStore penalties) {
    Policy policy =
        Policy.builder()
            .defaults(List.of(Limit.of("per-hour", 1, Duration.ofHours(1))))
            .penalty(PENALTY)
            .build();
    // each node counts its own limits; only the penalties are shared
    return PolicyEnforcer.create(policy, RateLimiter.builder().timeSource(time).build(), penalties);
  }

  @Test
  void aPenaltyStartedThroughOneEnforcerIsServedByAnotherSharingTheStore() {
    PenaltyStore shared = PenaltyStore.inMemory(100);
    PolicyEnforcer a = node(shared);
    PolicyEnforcer b = node(shared);
    Request client = Request.anonymous("GET", "/api", "192.0.2.9");
    assertThat(a.penaltyStore()).isSameAs(shared);

    assertThat(a.evaluate(client).outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(a.evaluate(client).outcome()).isEqualTo(Outcome.DENIED);
    assertThat(a.evaluate(client).retryAfter()).isEqualTo(Duration.ofHours(1));

    time.advance(Duration.ofSeconds(20));
    Verdict elsewhere = b.evaluate(client);
    assertThat(elsewhere.outcome()).isEqualTo(Outcome.PENALIZED);
    assertThat(elsewhere.penaltyLevel()).isEqualTo(1);
    assertThat(elsewhere.retryAfter()).isEqualTo(Duration.ofSeconds(40));

    time.advance(Duration.ofSeconds(40));
    // b's own limit is fresh: the penalty over, b admits, and reports the level still remembered
    Verdict after = b.evaluate(client);
    assertThat(after.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(after.penaltyLevel()).isEqualTo(1);
  }

  @Test
  void levelsClimbWhilePenaltiesFollowEachOtherAndAreForgottenAfterTheReset() {
    PenaltyStore store = PenaltyStore.inMemory(100);
    long minute = Duration.ofMinutes(1).toNanos();
    long now = 0;
    assertThat(store.recordViolation("c", PENALTY, now)).isEqualTo(PenaltyStanding.CLEAR);
    assertThat(store.recordViolation("c", PENALTY, now)).isEqualTo(new PenaltyStanding(1, minute));
    // a violation while serving is no new offence
    assertThat(store.recordViolation("c", PENALTY, now + 1))
        .isEqualTo(new PenaltyStanding(1, minute - 1));
    now += minute;
    assertThat(store.check("c", now)).isEqualTo(new PenaltyStanding(1, 0));
    store.recordViolation("c", PENALTY, now);
    assertThat(store.recordViolation("c", PENALTY, now))
        .isEqualTo(new PenaltyStanding(2, 2 * minute));
    now += 2 * minute;
    store.recordViolation("c", PENALTY, now);
    assertThat(store.recordViolation("c", PENALTY, now))
        .isEqualTo(new PenaltyStanding(3, 3 * minute));
    now += 3 * minute + 10 * minute;
    assertThat(store.check("c", now)).isEqualTo(PenaltyStanding.CLEAR);
    store.recordViolation("c", PENALTY, now);
    assertThat(store.recordViolation("c", PENALTY, now)).isEqualTo(new PenaltyStanding(1, minute));
    assertThat(store.stats(now).started(1)).isEqualTo(2);
  }

  @Test
  void badFiguresAreRefusedWithTheValue() {
    assertThatThrownBy(() -> PenaltyStore.inMemory(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxPenalizedClients must be >= 1, was 0");
    assertThatThrownBy(() -> new PenaltyStanding(-1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("level -1");
    assertThatThrownBy(() -> PenaltyStats.of(0, new long[] {0, -2}, new long[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("penalty stats active[1] must be >= 0, was -2");
  }
}
