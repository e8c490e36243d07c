package dev.sluice.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class SystemTimeSourceTest {
  private final TimeSource time = TimeSource.system();

  @Test
  void sleepsAtLeastTheRequestedTime() throws InterruptedException {
    long start = time.nanoTime();
    time.sleep(Duration.ofMillis(20));
    assertThat(time.nanoTime() - start).isGreaterThanOrEqualTo(20_000_000L);
  }

  @Test
  void wallClockIsUtcNow() {
    Instant before = Instant.now();
    Instant read = time.now();
    assertThat(read).isBetween(before, Instant.now());
  }

  @Test
  void conditionWaitTimesOutAtTheDeadline() throws InterruptedException {
    ReentrantLock lock = new ReentrantLock();
    Condition never = lock.newCondition();
    long deadline = time.deadlineAfter(Duration.ofMillis(20));
    lock.lock();
    try {
      while (time.awaitUntil(lock, never, deadline)) {
        // spurious wake-up: wait again
      }
    } finally {
      lock.unlock();
    }
    assertThat(time.nanoTime()).isGreaterThanOrEqualTo(deadline);
  }

  @Test
  void delayCompletesAfterTheDelay() throws Exception {
    long start = time.nanoTime();
    CompletableFuture<Void> delay = time.delay(Duration.ofMillis(20));
    delay.get(5, TimeUnit.SECONDS);
    assertThat(time.nanoTime() - start).isGreaterThanOrEqualTo(20_000_000L);
    assertThat(time.delay(Duration.ofMillis(-1))).isDone();
  }
}
