package dev.sluice.throttle;

import static dev.sluice.throttle.ThrottleTestSupport.failOnce;
import static dev.sluice.throttle.ThrottleTestSupport.quiet;
import static dev.sluice.throttle.ThrottleTestSupport.succeedOnce;
import static dev.sluice.throttle.ThrottleTestSupport.throttle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.time.ManualTimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The throttle as a whole: the behaviours of gentlify's story C.a, on manual time. */
class ThrottleTest {
  private final ManualTimeSource time = new ManualTimeSource();

  @Test
  void acquireAndCloseIsTheBasicCycle() throws Exception {
    Throttle throttle = throttle(quiet().build(), time);
    Permit permit = throttle.acquire();
    assertThat(throttle.snapshot().inFlight()).isEqualTo(1);
    permit.recordSuccess();
    permit.close();
    permit.close(); // idempotent
    assertThat(throttle.snapshot().inFlight()).isZero();
    assertThat(throttle.snapshot().completedTasks()).isEqualTo(1);
  }

  @Test
  void snapshotReportsEveryFigure() throws Exception {
    Throttle throttle =
        throttle(
            quiet()
                .totalTasks(10)
                .tokenBudget(new TokenBudget(1_000, Duration.ofMinutes(1)))
                .build(),
            time);
    try (Permit permit = throttle.acquire(100)) {
      permit.recordTokens(120);
      permit.recordSuccess();
    }
    time.advance(Duration.ofSeconds(1));
    succeedOnce(throttle);
    failOnce(throttle);
    Permit held = throttle.acquire();

    ThrottleSnapshot s = throttle.snapshot();

    assertThat(s.state()).isEqualTo(ThrottleState.RUNNING);
    assertThat(s.concurrency()).isEqualTo(8);
    assertThat(s.maxConcurrency()).isEqualTo(8);
    assertThat(s.safeCeiling()).isEqualTo(8);
    assertThat(s.inFlight()).isEqualTo(1);
    assertThat(s.waiting()).isZero();
    assertThat(s.dispatchInterval()).isZero();
    assertThat(s.serverInterval()).isZero();
    assertThat(s.failuresInWindow()).isEqualTo(1);
    assertThat(s.completedTasks()).isEqualTo(2);
    assertThat(s.totalTasks()).isEqualTo(10);
    assertThat(s.percentage()).isEqualTo(20.0);
    assertThat(s.eta()).contains(Duration.ofSeconds(8));
    assertThat(s.tokensUsed()).isEqualTo(123);
    assertThat(s.tokensRemaining()).isEqualTo(OptionalLong.of(877));
    held.close();
  }

  @Test
  void theFailurePredicateDecidesWhatCountsAsAFailure() throws Exception {
    Throttle throttle =
        throttle(quiet().failurePredicate(e -> e instanceof IOException).build(), time);
    for (int i = 0; i < 5; i++) {
      try (Permit permit = throttle.acquire()) {
        permit.recordFailure(new IllegalArgumentException("bad request"));
      }
    }
    assertThat(throttle.snapshot().concurrency()).isEqualTo(8);
    assertThat(throttle.snapshot().failuresInWindow()).isZero();
    for (int i = 0; i < 3; i++) {
      failOnce(throttle);
    }
    assertThat(throttle.snapshot().concurrency()).isEqualTo(4);
  }

  @Test
  void progressListenerHearsEveryMilestone() throws Exception {
    Throttle throttle = throttle(quiet().totalTasks(20).build(), time);
    ThrottleTestSupport.Events events = new ThrottleTestSupport.Events();
    throttle.addListener(events);
    for (int i = 0; i < 20; i++) {
      succeedOnce(throttle);
    }
    assertThat(events.milestones).containsExactly(10, 20, 30, 40, 50, 60, 70, 80, 90, 100);
  }

  @Test
  void acquireBlocksWhileTheTokenBudgetIsExhausted() throws Exception {
    Throttle throttle =
        throttle(quiet().tokenBudget(new TokenBudget(100, Duration.ofSeconds(10))).build(), time);
    try (Permit permit = throttle.acquire(100)) {
      permit.recordSuccess();
    }
    CompletableFuture<Permit> next = new CompletableFuture<>();
    Thread.startVirtualThread(
        () -> {
          try {
            next.complete(throttle.acquire(10));
          } catch (Throwable e) {
            next.completeExceptionally(e);
          }
        });
    await().until(() -> time.waiterCount() == 1);
    assertThat(next).isNotDone();

    time.advance(Duration.ofSeconds(10));

    next.get().close();
    assertThat(throttle.snapshot().tokensUsed()).isEqualTo(10);
  }

  @Test
  void acquireTimesOutWhenTheBudgetDoesNotFreeUpInTime() throws Exception {
    Throttle throttle =
        throttle(quiet().tokenBudget(new TokenBudget(5, Duration.ofSeconds(10))).build(), time);
    throttle.acquire(5).close();
    CompletableFuture<Permit> next = new CompletableFuture<>();
    Thread.startVirtualThread(
        () -> {
          try {
            next.complete(throttle.acquire(1, Duration.ofSeconds(2)));
          } catch (Throwable e) {
            next.completeExceptionally(e);
          }
        });
    await().until(() -> time.waiterCount() == 1);
    time.advance(Duration.ofSeconds(2));

    assertThat(next)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(ThrottleTimeoutException.class)
        .withMessageContaining("token budget");
    assertThat(throttle.snapshot().inFlight()).isZero();
  }

  @Test
  void independentThrottlesDoNotShareState() throws Exception {
    Throttle a = throttle(quiet().build(), time);
    Throttle b = throttle(quiet().build(), time);
    for (int i = 0; i < 3; i++) {
      failOnce(a);
    }
    assertThat(a.snapshot().concurrency()).isEqualTo(4);
    assertThat(b.snapshot().concurrency()).isEqualTo(8);
  }

  @Test
  void aPermitClosedWithoutAnOutcomeNeitherCompletesNorFails() throws Exception {
    Throttle throttle = throttle(quiet().totalTasks(4).build(), time);
    for (int i = 0; i < 5; i++) {
      throttle.acquire().close();
    }
    ThrottleSnapshot s = throttle.snapshot();
    assertThat(s.completedTasks()).isZero();
    assertThat(s.failuresInWindow()).isZero();
    assertThat(s.inFlight()).isZero();
  }

  @Test
  void manualRecordsOutsideAPermitCount() {
    Throttle throttle =
        throttle(
            quiet()
                .totalTasks(10)
                .tokenBudget(new TokenBudget(100, Duration.ofSeconds(10)))
                .build(),
            time);
    throttle.recordSuccess();
    throttle.recordTokens(40);
    for (int i = 0; i < 3; i++) {
      throttle.recordFailure(new IOException("down"));
    }
    ThrottleSnapshot s = throttle.snapshot();
    assertThat(s.completedTasks()).isEqualTo(1);
    assertThat(s.tokensUsed()).isEqualTo(40);
    assertThat(s.concurrency()).isEqualTo(4);
  }
}
