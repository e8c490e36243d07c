package dev.sluice.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrencyGateTest {
  private final ManualTimeSource time = new ManualTimeSource();

  @Test
  void acquireAndReleaseCountInFlight() throws Exception {
    ConcurrencyGate gate = new ConcurrencyGate(time, 2);
    assertThat(gate.acquire(Long.MAX_VALUE)).isEqualTo(ConcurrencyGate.Result.ACQUIRED);
    assertThat(gate.inFlight()).isEqualTo(1);
    gate.release();
    assertThat(gate.inFlight()).isZero();
  }

  @Test
  void theCallerBeyondTheLimitBlocksUntilASlotIsReleased() throws Exception {
    ConcurrencyGate gate = new ConcurrencyGate(time, 2);
    gate.acquire(Long.MAX_VALUE);
    gate.acquire(Long.MAX_VALUE);
    AtomicInteger admitted = new AtomicInteger();
    Thread third =
        Thread.startVirtualThread(
            () -> {
              try {
                gate.acquire(Long.MAX_VALUE);
                admitted.incrementAndGet();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    await().until(() -> gate.queued() == 1);
    assertThat(admitted).hasValue(0);

    gate.release();

    third.join();
    assertThat(admitted).hasValue(1);
    assertThat(gate.inFlight()).isEqualTo(2);
  }

  @Test
  void waitersAreAdmittedInArrivalOrder() throws Exception {
    ConcurrencyGate gate = new ConcurrencyGate(time, 1);
    gate.acquire(Long.MAX_VALUE);
    List<Integer> order = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int id = i;
      threads.add(
          Thread.startVirtualThread(
              () -> {
                try {
                  gate.acquire(Long.MAX_VALUE);
                  order.add(id);
                  gate.release();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }));
      int queued = i + 1;
      await().until(() -> gate.queued() == queued);
    }
    gate.release();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(order).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void loweringTheLimitBelowInFlightAdmitsNobodyUntilEnoughReturn() throws Exception {
    ConcurrencyGate gate = new ConcurrencyGate(time, 4);
    for (int i = 0; i < 4; i++) {
      gate.acquire(Long.MAX_VALUE);
    }
    gate.setLimit(2);
    gate.release();
    gate.release();
    assertThat(gate.tryAcquire()).isFalse();
    gate.release();
    assertThat(gate.tryAcquire()).isTrue();
  }

  @Test
  void raisingTheLimitAdmitsQueuedCallersAtOnce() {
    ConcurrencyGate gate = new ConcurrencyGate(time, 1);
    assertThat(gate.tryAcquire()).isTrue();
    CompletableFuture<Void> a = gate.acquireAsync();
    CompletableFuture<Void> b = gate.acquireAsync();
    assertThat(a).isNotDone();

    gate.setLimit(3);

    assertThat(a).isCompleted();
    assertThat(b).isCompleted();
  }

  @Test
  void aTimedWaitGivesUpAtItsDeadlineHoldingNothing() throws Exception {
    ConcurrencyGate gate = new ConcurrencyGate(time, 1);
    gate.acquire(Long.MAX_VALUE);
    CompletableFuture<ConcurrencyGate.Result> waiting = new CompletableFuture<>();
    long deadline = time.nanoTime() + Duration.ofSeconds(5).toNanos();
    Thread.startVirtualThread(
        () -> {
          try {
            waiting.complete(gate.acquire(deadline));
          } catch (InterruptedException e) {
            waiting.completeExceptionally(e);
          }
        });
    await().until(() -> time.waiterCount() == 1);

    time.advance(Duration.ofSeconds(5));

    assertThat(waiting.get()).isEqualTo(ConcurrencyGate.Result.TIMED_OUT);
    assertThat(gate.queued()).isZero();
    assertThat(gate.inFlight()).isEqualTo(1);
  }

  @Test
  void closingRejectsEveryWaiterButKeepsHeldSlots() throws Exception {
    ConcurrencyGate gate = new ConcurrencyGate(time, 1);
    gate.acquire(Long.MAX_VALUE);
    CompletableFuture<Void> async = gate.acquireAsync();
    CompletableFuture<ConcurrencyGate.Result> blocked = new CompletableFuture<>();
    Thread.startVirtualThread(
        () -> {
          try {
            blocked.complete(gate.acquire(Long.MAX_VALUE));
          } catch (InterruptedException e) {
            blocked.completeExceptionally(e);
          }
        });
    await().until(() -> gate.queued() == 2);

    gate.close();

    assertThat(blocked.get()).isEqualTo(ConcurrencyGate.Result.CLOSED);
    assertThat(async).isCompletedExceptionally();
    assertThat(gate.inFlight()).isEqualTo(1);
  }

  @Test
  void aCancelledAsyncWaiterGivesItsSlotToTheNextInLine() {
    ConcurrencyGate gate = new ConcurrencyGate(time, 1);
    gate.tryAcquire();
    CompletableFuture<Void> cancelled = gate.acquireAsync();
    CompletableFuture<Void> next = gate.acquireAsync();
    cancelled.cancel(false);

    gate.release();

    assertThat(next).isCompleted();
    assertThat(gate.inFlight()).isEqualTo(1);
  }

  @Test
  void tenThousandVirtualThreadsWaitAtOnceAndAllGetThrough() throws Exception {
    ConcurrencyGate gate = new ConcurrencyGate(time, 8);
    AtomicInteger maxSeen = new AtomicInteger();
    AtomicInteger current = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    CompletableFuture<Void> release = new CompletableFuture<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      threads.add(
          Thread.startVirtualThread(
              () -> {
                try {
                  gate.acquire(Long.MAX_VALUE);
                  maxSeen.accumulateAndGet(current.incrementAndGet(), Math::max);
                  release.join();
                  current.decrementAndGet();
                  gate.release();
                  done.incrementAndGet();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> gate.queued() == 10_000 - 8);
    release.complete(null);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(done).hasValue(10_000);
    assertThat(maxSeen.get()).isLessThanOrEqualTo(8);
    assertThat(gate.inFlight()).isZero();
  }

  @Test
  void neverAdmitsMoreThanTheLimitUnderContention() throws Exception {
    ConcurrencyGate gate = new ConcurrencyGate(time, 3);
    AtomicInteger current = new AtomicInteger();
    AtomicInteger maxSeen = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < 2_000; i++) {
                      try {
                        gate.acquire(Long.MAX_VALUE);
                      } catch (InterruptedException e) {
                        return;
                      }
                      maxSeen.accumulateAndGet(current.incrementAndGet(), Math::max);
                      current.decrementAndGet();
                      gate.release();
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(maxSeen.get()).isLessThanOrEqualTo(3);
    assertThat(gate.inFlight()).isZero();
    assertThat(gate.queued()).isZero();
  }
}
