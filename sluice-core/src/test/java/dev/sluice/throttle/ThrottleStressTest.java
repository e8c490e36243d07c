package dev.sluice.throttle;

import static dev.sluice.throttle.ThrottleTestSupport.quiet;
import static dev.sluice.throttle.ThrottleTestSupport.throttle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.time.ManualTimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Concurrency claims of the throttle as a whole, checked under load. */
class ThrottleStressTest {
  private final ManualTimeSource time = new ManualTimeSource();

  @Test
  void tenThousandVirtualThreadsWaitAtOnceAndEveryOneGetsThroughWithinTheLimit() throws Exception {
    Throttle throttle = throttle(quiet().maxConcurrency(8).totalTasks(10_000).build(), time);
    CompletableFuture<Void> gate = new CompletableFuture<>();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      threads.add(
          Thread.startVirtualThread(
              () -> {
                try {
                  throttle.call(
                      () -> {
                        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                        gate.join();
                        running.decrementAndGet();
                        return null;
                      });
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> throttle.snapshot().waiting() == 10_000 - 8);

    gate.complete(null);
    for (Thread t : threads) {
      t.join();
    }

    assertThat(maxRunning.get()).isEqualTo(8);
    ThrottleSnapshot s = throttle.snapshot();
    assertThat(s.completedTasks()).isEqualTo(10_000);
    assertThat(s.percentage()).isEqualTo(100.0);
    assertThat(s.inFlight()).isZero();
    assertThat(s.waiting()).isZero();
  }

  @Test
  void mixedOutcomesFromManyThreadsKeepEveryLimitInBoundsAndLoseNoSlot() throws Exception {
    Throttle throttle = throttle(quiet().maxConcurrency(16).build(), time);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger violations = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int seed = t;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < 2_000; i++) {
                      try (Permit permit = throttle.acquire()) {
                        int now = running.incrementAndGet();
                        if (now > throttle.config().maxConcurrency()) {
                          violations.incrementAndGet();
                        }
                        if ((i + seed) % 7 == 0) {
                          permit.recordFailure(new IOException("HTTP 429"));
                        } else {
                          permit.recordSuccess();
                        }
                        running.decrementAndGet();
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  }));
    }
    // time moves on while the callers run, so pacing after slow-downs and speed-ups both happen
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread clock =
        Thread.ofPlatform()
            .start(
                () -> {
                  while (!done.get()) {
                    time.advance(Duration.ofMillis(5));
                    Thread.onSpinWait();
                  }
                });
    for (Thread t : threads) {
      t.join();
    }
    done.set(true);
    clock.join();
    ThrottleSnapshot s = throttle.snapshot();
    assertThat(violations).hasValue(0);
    assertThat(s.inFlight()).isZero();
    assertThat(s.waiting()).isZero();
    assertThat(s.concurrency()).isBetween(1, 16);
    assertThat(s.safeCeiling()).isBetween(1, 16);
  }
}
