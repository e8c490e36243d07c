package dev.sluice.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenWindowTest {
  private final ManualTimeSource time = new ManualTimeSource();

  private TokenWindow window(long tokens) {
    return new TokenWindow(time, new TokenBudget(tokens, Duration.ofSeconds(60)));
  }

  private CompletableFuture<TokenWindow.Spend> reserveInBackground(
      TokenWindow window, long estimate, long deadline) {
    CompletableFuture<TokenWindow.Spend> result = new CompletableFuture<>();
    Thread.startVirtualThread(
        () -> {
          try {
            result.complete(window.reserve(estimate, deadline));
          } catch (Throwable e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  @Test
  void reservationsCountAtOnceAndReconcileToTheActualCount() throws Exception {
    TokenWindow window = window(100);
    TokenWindow.Spend spend = window.reserve(30, Long.MAX_VALUE);
    assertThat(window.used()).isEqualTo(30);
    assertThat(window.remaining()).isEqualTo(70);

    window.reconcile(spend, 45);

    assertThat(window.used()).isEqualTo(45);
  }

  @Test
  void tokensLeaveTheWindowWhenItRollsOver() throws Exception {
    TokenWindow window = window(100);
    window.reserve(80, Long.MAX_VALUE);
    time.advance(Duration.ofSeconds(59));
    assertThat(window.used()).isEqualTo(80);
    time.advance(Duration.ofSeconds(1));
    assertThat(window.used()).isZero();
  }

  @Test
  void aCallerThatDoesNotFitWaitsForTheRolloverAndThenResumes() throws Exception {
    TokenWindow window = window(100);
    window.reserve(100, Long.MAX_VALUE);
    CompletableFuture<TokenWindow.Spend> waiting = reserveInBackground(window, 10, Long.MAX_VALUE);
    await().until(() -> time.waiterCount() == 1);
    time.advance(Duration.ofSeconds(30));
    assertThat(waiting).isNotDone();

    time.advance(Duration.ofSeconds(30));

    assertThat(waiting.get()).isNotNull();
    assertThat(window.used()).isEqualTo(10);
  }

  @Test
  void reconcilingBelowTheEstimateLetsAWaiterIn() throws Exception {
    TokenWindow window = window(100);
    TokenWindow.Spend big = window.reserve(90, Long.MAX_VALUE);
    CompletableFuture<TokenWindow.Spend> waiting = reserveInBackground(window, 50, Long.MAX_VALUE);
    await().until(() -> window.waiting() == 1);

    window.reconcile(big, 20);

    assertThat(waiting.get()).isNotNull();
    assertThat(window.used()).isEqualTo(70);
  }

  @Test
  void aWaitGivesUpAtItsDeadlineReservingNothing() throws Exception {
    TokenWindow window = window(10);
    window.reserve(10, Long.MAX_VALUE);
    long deadline = time.nanoTime() + Duration.ofSeconds(5).toNanos();
    CompletableFuture<TokenWindow.Spend> waiting = reserveInBackground(window, 5, deadline);
    await().until(() -> time.waiterCount() == 1);

    time.advance(Duration.ofSeconds(5));

    assertThat(waiting.get()).isNull();
    assertThat(window.used()).isEqualTo(10);
    assertThat(window.waiting()).isZero();
  }

  @Test
  void anEstimateLargerThanTheWholeBudgetIsRejectedAtOnce() {
    assertThatThrownBy(() -> window(10).reserve(11, Long.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("throttle.token-budget.tokens (10), was 11");
  }

  @Test
  void waitersAreServedInArrivalOrderSoALargeRequestIsNotStarved() throws Exception {
    TokenWindow window = window(100);
    window.reserve(100, Long.MAX_VALUE);
    List<Long> served = new CopyOnWriteArrayList<>();
    // wait on the recording itself: get() on the reservation can return before its callback ran
    CompletableFuture<Void> large =
        reserveInBackground(window, 100, Long.MAX_VALUE).thenRun(() -> served.add(100L));
    await().until(() -> window.waiting() == 1);
    CompletableFuture<Void> small =
        reserveInBackground(window, 1, Long.MAX_VALUE).thenRun(() -> served.add(1L));
    await().until(() -> window.waiting() == 2);

    time.advance(Duration.ofSeconds(60));
    large.get(10, TimeUnit.SECONDS);
    await().until(() -> time.waiterCount() >= 1);
    time.advance(Duration.ofSeconds(60));
    small.get(10, TimeUnit.SECONDS);

    assertThat(served).containsExactly(100L, 1L);
  }

  @Test
  void concurrentCallersNeverSpendMoreThanTheBudgetWhenEstimatesAreRight() throws Exception {
    TokenWindow window = window(1_000);
    AtomicLong admittedTokens = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      threads.add(
          Thread.startVirtualThread(
              () -> {
                try {
                  start.await();
                  TokenWindow.Spend spend = window.reserve(30, time.nanoTime());
                  if (spend != null) {
                    admittedTokens.addAndGet(30);
                    window.reconcile(spend, 30);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }));
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(admittedTokens.get()).isEqualTo(990);
    assertThat(window.used()).isEqualTo(990);
  }
}
