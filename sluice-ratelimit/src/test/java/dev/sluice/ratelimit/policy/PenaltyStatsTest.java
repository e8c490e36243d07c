package dev.sluice.ratelimit.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PenaltyStatsTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final RateLimiter limiter = RateLimiter.builder().timeSource(time).build();

  private PolicyEnforcer enforcer() {
    Penalty penalty =
        Penalty.builder()
            .threshold(1)
            .cooldown(Duration.ofMinutes(1))
            .multiplier(2)
            .maxCooldown(Duration.ofHours(1))
            .resetAfter(Duration.ofHours(1))
            .build();
    Policy policy =
        Policy.builder()
            .defaults(List.of(Limit.of("per-hour", 1, Duration.ofHours(1))))
            .penalty(penalty)
            .build();
    return PolicyEnforcer.create(policy, limiter);
  }

  private static Request from(String address) {
    return Request.anonymous("GET", "/api", address);
  }

  @Test
  void penaltiesAreCountedWhenTheyStartAndWhileTheyAreServed() {
    PolicyEnforcer enforcer = enforcer();
    assertThat(enforcer.penaltyStats().active()).isZero();

    // two clients: each one request allowed, the next refused, which starts a level-1 penalty
    for (String client : List.of("192.0.2.1", "192.0.2.2")) {
      assertThat(enforcer.evaluate(from(client)).outcome()).isEqualTo(Outcome.ALLOWED);
      assertThat(enforcer.evaluate(from(client)).penaltyLevel()).isEqualTo(1);
    }
    // refusals while penalized start nothing
    assertThat(enforcer.evaluate(from("192.0.2.1")).outcome()).isEqualTo(Outcome.PENALIZED);

    PenaltyStats stats = enforcer.penaltyStats();
    assertThat(stats.active()).isEqualTo(2);
    assertThat(stats.active(1)).isEqualTo(2);
    assertThat(stats.started(1)).isEqualTo(2);
    assertThat(stats.started(2)).isZero();
    assertThat(stats.tracked()).isEqualTo(2);

    // one minute on, both served their time; one offends again and climbs to level 2
    time.advance(Duration.ofMinutes(1));
    assertThat(enforcer.penaltyStats().active()).isZero();
    assertThat(enforcer.evaluate(from("192.0.2.1")).penaltyLevel()).isEqualTo(2);

    stats = enforcer.penaltyStats();
    assertThat(stats.active()).isEqualTo(1);
    assertThat(stats.active(2)).isEqualTo(1);
    assertThat(stats.started(1)).isEqualTo(2);
    assertThat(stats.started(2)).isEqualTo(1);
  }

  @Test
  void levelsOutsideTheCountedRangeAreRefusedByName() {
    PenaltyStats stats = enforcer().penaltyStats();
    assertThatThrownBy(() -> stats.started(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("penalty level must be in 1..16, was 0");
    assertThatThrownBy(() -> stats.active(17)).hasMessage("penalty level must be in 1..16, was 17");
  }

  @Test
  void everyPenaltyStartedByConcurrentClientsIsCountedOnce() throws Exception {
    PolicyEnforcer enforcer = enforcer();
    int threads = 4;
    int clientsEach = 2_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int c = 0; c < clientsEach; c++) {
                    // every thread hits every client, so the same clients race
                    Request request = from("10.0." + (c / 250) + "." + (c % 250));
                    enforcer.evaluate(request);
                    enforcer.evaluate(request);
                  }
                  return thread;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    }

    // each client: one allowed, the first refusal starts its penalty, later ones are PENALIZED
    PenaltyStats stats = enforcer.penaltyStats();
    assertThat(stats.started(1)).isEqualTo(clientsEach);
    assertThat(stats.active(1)).isEqualTo(clientsEach);
    assertThat(stats.started(2)).isZero();
  }
}
