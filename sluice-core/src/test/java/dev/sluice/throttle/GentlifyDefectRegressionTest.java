package dev.sluice.throttle;

import static dev.sluice.throttle.ThrottleTestSupport.quiet;
import static dev.sluice.throttle.ThrottleTestSupport.throttle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One regression test per defect of gentlify as published, named after it. */
class GentlifyDefectRegressionTest {
  private final ManualTimeSource time = new ManualTimeSource();

  @Test
  void concurrentCallersAreSpacedByTheIntervalBecauseSlotsAreReservedBeforeWaiting()
      throws Exception {
    Throttle throttle =
        throttle(
            quiet().maxConcurrency(32).minDispatchInterval(Duration.ofMillis(100)).build(), time);
    int callers = 20;
    List<Long> dispatchTimes = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      threads.add(
          Thread.startVirtualThread(
              () -> {
                try {
                  start.await();
                  try (Permit permit = throttle.acquire()) {
                    dispatchTimes.add(time.nanoTime());
                    permit.recordSuccess();
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }));
    }
    start.countDown();
    for (int i = 1; i < callers; i++) {
      await().until(() -> time.waiterCount() + dispatchTimes.size() == callers);
      time.advance(Duration.ofMillis(100));
    }
    for (Thread t : threads) {
      t.join();
    }
    List<Long> sorted = new ArrayList<>(dispatchTimes);
    Collections.sort(sorted);
    for (int i = 1; i < sorted.size(); i++) {
      assertThat(sorted.get(i) - sorted.get(i - 1)).isEqualTo(100_000_000L);
    }
  }

  @Test
  void concurrentCallersCannotOvershootTheTokenBudgetBecauseEstimatesAreReservedBeforeTheCall()
      throws Exception {
    Throttle throttle =
        throttle(
            quiet()
                .maxConcurrency(64)
                .tokenBudget(new TokenBudget(1_000, Duration.ofMinutes(1)))
                .build(),
            time);
    AtomicLong spent = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      threads.add(
          Thread.startVirtualThread(
              () -> {
                try {
                  start.await();
                  try (Permit permit = throttle.acquire(100, Duration.ZERO)) {
                    permit.recordTokens(100);
                    spent.addAndGet(100);
                    permit.recordSuccess();
                  }
                } catch (ThrottleTimeoutException e) {
                  // did not fit: exactly what must happen beyond the budget
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }));
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(spent.get()).isEqualTo(1_000);
    assertThat(throttle.snapshot().tokensUsed()).isEqualTo(1_000);
  }

  @Test
  void etaCountsConcurrencyBecauseItComesFromThroughputNotMeanDuration() throws Exception {
    Throttle throttle = throttle(quiet().maxConcurrency(10).totalTasks(110).build(), time);
    // ten calls of one second each run side by side, ten times over: 10 tasks per second
    for (int round = 0; round < 10; round++) {
      List<Permit> batch = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        batch.add(throttle.acquire());
      }
      time.advance(Duration.ofSeconds(1));
      for (Permit permit : batch) {
        permit.recordSuccess();
        permit.close();
        time.advance(Duration.ofMillis(1));
      }
    }
    // 10 left at ~10 per second: about one second, not the ten a mean-duration ETA gives
    assertThat(throttle.snapshot().eta().orElseThrow())
        .isBetween(Duration.ofMillis(900), Duration.ofMillis(1_200));
  }
}
