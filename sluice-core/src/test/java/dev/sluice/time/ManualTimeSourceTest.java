package dev.sluice.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class ManualTimeSourceTest {
  private final ManualTimeSource time = new ManualTimeSource();

  @Test
  void timeMovesOnlyWhenAdvanced() {
    long start = time.nanoTime();
    Instant wall = time.now();
    assertThat(start).isNotZero();
    assertThat(time.nanoTime()).isEqualTo(start);

    time.advance(Duration.ofMillis(1500));

    assertThat(time.nanoTime() - start).isEqualTo(1_500_000_000L);
    assertThat(time.now()).isEqualTo(wall.plusMillis(1500));
  }

  @Test
  void steppingTheWallClockMovesNeitherTheTickerNorAnyWaiter() {
    long start = time.nanoTime();
    CompletableFuture<Void> pending = time.delay(Duration.ofSeconds(1));

    time.stepWall(Duration.ofHours(2)).stepWall(Duration.ofMinutes(-30));

    assertThat(time.nanoTime()).isEqualTo(start);
    assertThat(time.now()).isEqualTo(ManualTimeSource.DEFAULT_START.plus(Duration.ofMinutes(90)));
    assertThat(pending).isNotDone();
    time.advance(Duration.ofSeconds(1));
    assertThat(pending).isDone();
    assertThat(time.now())
        .isEqualTo(ManualTimeSource.DEFAULT_START.plus(Duration.ofMinutes(90)).plusSeconds(1));
  }

  @Test
  void refusesToMoveBackwards() {
    assertThatThrownBy(() -> time.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> time.advanceNanos(-5)).hasMessageContaining("-5");
  }

  @Test
  void sleepersWakeExactlyWhenTheirDeadlineIsReached() throws Exception {
    List<Integer> woken = new CopyOnWriteArrayList<>();
    List<Thread> sleepers = new ArrayList<>();
    for (int seconds = 1; seconds <= 3; seconds++) {
      int s = seconds;
      sleepers.add(
          Thread.startVirtualThread(
              () -> {
                try {
                  time.sleep(Duration.ofSeconds(s));
                  woken.add(s);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }));
    }
    await().until(() -> time.waiterCount() == 3);

    time.advance(Duration.ofMillis(999));
    assertThat(woken).isEmpty();
    time.advance(Duration.ofMillis(1));
    await().until(() -> woken.equals(List.of(1)));
    time.advance(Duration.ofSeconds(2));
    for (Thread sleeper : sleepers) {
      sleeper.join();
    }
    assertThat(woken).containsExactlyInAnyOrder(1, 2, 3);
    assertThat(time.waiterCount()).isZero();
  }

  @Test
  void sleepUntilAPastDeadlineReturnsAtOnce() throws InterruptedException {
    time.sleepUntil(time.nanoTime());
    time.sleep(Duration.ZERO);
    assertThat(time.waiterCount()).isZero();
  }

  @Test
  void conditionWaitEndsOnSignalBeforeTheDeadline() throws Exception {
    ReentrantLock lock = new ReentrantLock();
    Condition ready = lock.newCondition();
    AtomicBoolean flag = new AtomicBoolean();
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    Thread.startVirtualThread(
        () -> {
          lock.lock();
          try {
            long deadline = time.deadlineAfter(Duration.ofMinutes(1));
            boolean beforeDeadline = true;
            while (!flag.get() && beforeDeadline) {
              beforeDeadline = time.awaitUntil(lock, ready, deadline);
            }
            result.complete(flag.get());
          } catch (InterruptedException e) {
            result.completeExceptionally(e);
          } finally {
            lock.unlock();
          }
        });
    await().until(() -> time.waiterCount() == 1);

    lock.lock();
    try {
      flag.set(true);
      ready.signalAll();
    } finally {
      lock.unlock();
    }

    assertThat(result.get()).isTrue();
  }

  @Test
  void conditionWaitEndsAtTheDeadlineWithoutSignal() throws Exception {
    ReentrantLock lock = new ReentrantLock();
    Condition never = lock.newCondition();
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    long deadline = time.deadlineAfter(Duration.ofSeconds(10));
    Thread.startVirtualThread(
        () -> {
          lock.lock();
          try {
            boolean beforeDeadline = true;
            while (beforeDeadline) {
              beforeDeadline = time.awaitUntil(lock, never, deadline);
            }
            result.complete(time.nanoTime() >= deadline);
          } catch (InterruptedException e) {
            result.completeExceptionally(e);
          } finally {
            lock.unlock();
          }
        });
    await().until(() -> time.waiterCount() == 1);
    time.advance(Duration.ofSeconds(5));
    assertThat(result).isNotDone();
    time.advance(Duration.ofSeconds(5));
    assertThat(result.get()).isTrue();
  }

  @Test
  void interruptedSleeperThrows() throws Exception {
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread sleeper =
        Thread.startVirtualThread(
            () -> {
              try {
                time.sleep(Duration.ofDays(1));
                outcome.complete(null);
              } catch (InterruptedException e) {
                outcome.complete(e);
              }
            });
    await().until(() -> time.waiterCount() == 1);
    sleeper.interrupt();
    assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
    await().until(() -> time.waiterCount() == 0);
  }

  @Test
  void delaysCompleteInDeadlineOrder() {
    List<String> order = new ArrayList<>();
    time.delay(Duration.ofSeconds(3)).thenRun(() -> order.add("3s"));
    time.delay(Duration.ofSeconds(1)).thenRun(() -> order.add("1s"));
    CompletableFuture<Void> twoSeconds = time.delay(Duration.ofSeconds(2));
    twoSeconds.thenRun(() -> order.add("2s"));
    assertThat(time.delay(Duration.ZERO)).isDone();
    assertThat(time.pendingDelays()).isEqualTo(3);

    time.advance(Duration.ofSeconds(2));
    assertThat(order).containsExactly("1s", "2s");
    assertThat(twoSeconds).isDone();

    time.advance(Duration.ofSeconds(1));
    assertThat(order).containsExactly("1s", "2s", "3s");
    assertThat(time.pendingDelays()).isZero();
  }

  @Test
  void hugeDeadlinesSaturateInsteadOfWrapping() {
    long deadline = time.deadlineAfter(Duration.ofSeconds(Long.MAX_VALUE));
    assertThat(deadline).isEqualTo(Long.MAX_VALUE);
    time.advance(Duration.ofSeconds(Long.MAX_VALUE));
    assertThat(time.nanoTime()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void manyThreadsAdvancingAndSleepingConcurrentlyAllWake() throws Exception {
    int sleepers = 200;
    AtomicInteger woken = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    long start = time.nanoTime();
    for (int i = 0; i < sleepers; i++) {
      // an absolute deadline: on a loaded machine a sleeper may start only after every advance,
      // and a relative sleep registered then would wait for time that never comes
      long deadline = start + Duration.ofMillis(1 + i % 50).toNanos();
      threads.add(
          Thread.startVirtualThread(
              () -> {
                try {
                  time.sleepUntil(deadline);
                  woken.incrementAndGet();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }));
    }
    List<Thread> advancers = new ArrayList<>();
    for (int a = 0; a < 4; a++) {
      advancers.add(
          Thread.startVirtualThread(
              () -> {
                for (int step = 0; step < 100; step++) {
                  time.advance(Duration.ofMillis(1));
                }
              }));
    }
    for (Thread advancer : advancers) {
      advancer.join();
    }
    // a sleeper that registers after the last advance finds its deadline passed and returns
    time.advance(Duration.ZERO);
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(woken).hasValue(sleepers);
  }
}
