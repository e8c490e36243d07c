package dev.sluice.throttle;

import static dev.sluice.throttle.ThrottleTestSupport.failOnce;
import static dev.sluice.throttle.ThrottleTestSupport.quiet;
import static dev.sluice.throttle.ThrottleTestSupport.succeedOnce;
import static dev.sluice.throttle.ThrottleTestSupport.throttle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** gentlify's story D.a, edge by edge. */
class ThrottleEdgeCaseTest {
  private final ManualTimeSource time = new ManualTimeSource();

  @Test
  void zeroTotalTasksReportsNoEta() throws Exception {
    Throttle throttle = throttle(quiet().totalTasks(0).build(), time);
    succeedOnce(throttle);
    time.advance(Duration.ofSeconds(1));
    succeedOnce(throttle);
    assertThat(throttle.snapshot().eta()).isEmpty();
    assertThat(throttle.snapshot().percentage()).isZero();
  }

  @Test
  void maxConcurrencyOneStaysAtOneWhenSlowingDown() throws Exception {
    Throttle throttle = throttle(quiet().maxConcurrency(1).build(), time);
    for (int i = 0; i < 9; i++) {
      throttle.recordFailure(new java.io.IOException("HTTP 503"));
    }
    assertThat(throttle.snapshot().concurrency()).isEqualTo(1);
  }

  @Test
  void anImmediateFailureOnTheFirstRequestSlowsDownWithThresholdOne() throws Exception {
    Throttle throttle = throttle(quiet().failureThreshold(1).build(), time);
    failOnce(throttle);
    assertThat(throttle.snapshot().concurrency()).isEqualTo(4);
    assertThat(throttle.state()).isEqualTo(ThrottleState.COOLING);
  }

  @Test
  void aFailurePredicateThatAlwaysSaysNoNeverSlowsDown() throws Exception {
    Throttle throttle = throttle(quiet().failurePredicate(e -> false).build(), time);
    for (int i = 0; i < 50; i++) {
      failOnce(throttle);
    }
    assertThat(throttle.snapshot().concurrency()).isEqualTo(8);
    assertThat(throttle.state()).isEqualTo(ThrottleState.RUNNING);
  }

  @Test
  void aBudgetOfOneTokenMakesEveryRequestWaitForTheWindowToRoll() throws Exception {
    Throttle throttle =
        throttle(quiet().tokenBudget(new TokenBudget(1, Duration.ofSeconds(10))).build(), time);
    succeedOnce(throttle);
    for (int i = 0; i < 3; i++) {
      CompletableFuture<Permit> next = ThrottleLifecycleTest.acquireInBackground(throttle);
      await().until(() -> time.waiterCount() == 1);
      time.advance(Duration.ofSeconds(9));
      assertThat(next).isNotDone();
      time.advance(Duration.ofSeconds(1));
      next.get(5, java.util.concurrent.TimeUnit.SECONDS).close();
    }
  }

  @Test
  void concurrentDrainAndAcquireDrainCompletesAndAcquireIsRejected() throws Exception {
    Throttle throttle = throttle(quiet().maxConcurrency(1).build(), time);
    Permit held = throttle.acquire();
    CompletableFuture<Permit> acquirer = ThrottleLifecycleTest.acquireInBackground(throttle);
    await().until(() -> throttle.snapshot().waiting() == 1);
    CompletableFuture<Boolean> drained =
        ThrottleLifecycleTest.drainInBackground(throttle, Duration.ofMinutes(1));
    await().until(() -> throttle.state() == ThrottleState.DRAINING);

    held.close();

    assertThat(drained.get()).isTrue();
    assertThat(acquirer)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(ThrottleClosedException.class);
    assertThatThrownBy(throttle::acquire).isInstanceOf(ThrottleClosedException.class);
  }

  @Test
  void rapidSuccessiveFailuresDoNotCascadeIntoSeveralSlowDowns() throws Exception {
    Throttle throttle = throttle(quiet().build(), time);
    List<Permit> inFlight = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      inFlight.add(throttle.acquire());
    }
    for (Permit permit : inFlight) {
      permit.recordFailure(new java.io.IOException("HTTP 429"));
      permit.close();
    }
    assertThat(throttle.snapshot().concurrency()).isEqualTo(4);
    assertThat(throttle.snapshot().failuresInWindow()).isZero();
  }

  @Test
  void manualFailuresClearTheCounterOnSlowDownSoTheNextNeedsAFullThreshold() {
    Throttle throttle = throttle(quiet().build(), time);
    for (int i = 0; i < 5; i++) {
      throttle.recordFailure(new java.io.IOException("down"));
    }
    assertThat(throttle.snapshot().concurrency()).isEqualTo(4);
    assertThat(throttle.snapshot().failuresInWindow()).isEqualTo(2);
  }

  @Test
  void zeroJitterGivesExactDeterministicDispatchTimes() throws Exception {
    Throttle throttle =
        throttle(
            quiet().minDispatchInterval(Duration.ofMillis(250)).jitterFraction(0).build(), time);
    long start = time.nanoTime();
    List<Long> dispatched = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      CompletableFuture<Permit> next = throttle.acquireAsync();
      if (!next.isDone()) {
        time.advance(Duration.ofMillis(250));
      }
      Permit permit = next.get();
      dispatched.add((time.nanoTime() - start) / 1_000_000);
      permit.close();
    }
    assertThat(dispatched).containsExactly(0L, 250L, 500L, 750L);
  }
}
