package dev.sluice.throttle;

import static dev.sluice.throttle.ThrottleTestSupport.quiet;
import static dev.sluice.throttle.ThrottleTestSupport.throttle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.time.ManualTimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Wrapping, async calls, close and drain: the behaviours of gentlify's story C.b. */
class ThrottleLifecycleTest {
  private final ManualTimeSource time = new ManualTimeSource();

  @Test
  void wrapRecordsSuccessAndFailureItself() throws Exception {
    Throttle throttle = throttle(quiet().totalTasks(10).build(), time);
    Callable<String> ok = throttle.wrap(() -> "fine");
    Callable<String> broken =
        throttle.wrap(
            () -> {
              throw new IOException("HTTP 503");
            });

    ok.call();
    assertThatThrownBy(broken::call).isInstanceOf(IOException.class).hasMessage("HTTP 503");

    ThrottleSnapshot s = throttle.snapshot();
    assertThat(s.completedTasks()).isEqualTo(1);
    assertThat(s.failuresInWindow()).isEqualTo(1);
    assertThat(s.inFlight()).isZero();
  }

  @Test
  void wrapReturnsTheTasksValueUnchanged() throws Exception {
    Throttle throttle = throttle(quiet().build(), time);
    Object value = new Object();
    assertThat(throttle.wrap(() -> value).call()).isSameAs(value);
    Callable<Object> nothing = () -> null;
    assertThat(throttle.call(nothing)).isNull();
  }

  @Test
  void afterCloseAcquireIsRejectedWithASpecificException() {
    Throttle throttle = throttle(quiet().build(), time);
    throttle.close();
    assertThat(throttle.state()).isEqualTo(ThrottleState.CLOSED);
    assertThatThrownBy(throttle::acquire)
        .isInstanceOf(ThrottleClosedException.class)
        .hasMessageContaining("CLOSED");
    assertThat(throttle.acquireAsync())
        .failsWithin(Duration.ofSeconds(1))
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(ThrottleClosedException.class);
  }

  @Test
  void inFlightCallsFinishNormallyAfterClose() throws Exception {
    Throttle throttle = throttle(quiet().totalTasks(1).build(), time);
    Permit permit = throttle.acquire();
    throttle.close();
    permit.recordSuccess();
    permit.close();
    assertThat(throttle.snapshot().completedTasks()).isEqualTo(1);
    assertThat(throttle.snapshot().inFlight()).isZero();
  }

  @Test
  void closeRejectsCallersAlreadyWaitingForASlot() throws Exception {
    Throttle throttle = throttle(quiet().maxConcurrency(1).build(), time);
    Permit held = throttle.acquire();
    CompletableFuture<Permit> waiting = acquireInBackground(throttle);
    CompletableFuture<Permit> async = throttle.acquireAsync();
    await().until(() -> throttle.snapshot().waiting() == 2);

    throttle.close();

    assertThat(waiting)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(ThrottleClosedException.class);
    assertThat(async).isCompletedExceptionally();
    held.close();
  }

  @Test
  void drainWaitsForInFlightCallsWithoutPollingThenCloses() throws Exception {
    Throttle throttle = throttle(quiet().build(), time);
    ThrottleTestSupport.Events events = new ThrottleTestSupport.Events();
    throttle.addListener(events);
    Permit first = throttle.acquire();
    Permit second = throttle.acquire();
    CompletableFuture<Boolean> drained = drainInBackground(throttle, Duration.ofMinutes(1));
    await().until(() -> throttle.state() == ThrottleState.DRAINING && time.waiterCount() == 1);

    first.close();
    assertThat(drained).isNotDone();
    second.close();

    assertThat(drained.get()).isTrue();
    assertThat(throttle.state()).isEqualTo(ThrottleState.CLOSED);
    assertThat(events.states).containsExactly("RUNNING->DRAINING", "DRAINING->CLOSED");
  }

  @Test
  void drainGivesUpAtItsTimeoutAndStaysDraining() throws Exception {
    Throttle throttle = throttle(quiet().build(), time);
    Permit held = throttle.acquire();
    CompletableFuture<Boolean> drained = drainInBackground(throttle, Duration.ofSeconds(30));
    await().until(() -> time.waiterCount() == 1);

    time.advance(Duration.ofSeconds(30));

    assertThat(drained.get()).isFalse();
    assertThat(throttle.state()).isEqualTo(ThrottleState.DRAINING);
    assertThatThrownBy(throttle::acquire).isInstanceOf(ThrottleClosedException.class);
    held.close();
  }

  @Test
  void closeThenDrainWaitsForTheRestAndEndsClosed() throws Exception {
    Throttle throttle = throttle(quiet().build(), time);
    Permit held = throttle.acquire();
    throttle.close();
    CompletableFuture<Boolean> drained = drainInBackground(throttle, Duration.ofMinutes(1));
    await().until(() -> time.waiterCount() == 1);
    held.close();
    assertThat(drained.get()).isTrue();
    assertThat(throttle.state()).isEqualTo(ThrottleState.CLOSED);
  }

  @Test
  void drainWithNothingInFlightReturnsAtOnce() throws Exception {
    Throttle throttle = throttle(quiet().build(), time);
    assertThat(throttle.drain(Duration.ZERO)).isTrue();
    assertThat(throttle.state()).isEqualTo(ThrottleState.CLOSED);
  }

  @Test
  void callAsyncRecordsTheOutcomeOfTheStage() {
    Throttle throttle = throttle(quiet().totalTasks(10).build(), time);

    CompletableFuture<String> ok = throttle.callAsync(() -> CompletableFuture.completedFuture("a"));
    CompletableFuture<String> failed =
        throttle.callAsync(() -> CompletableFuture.failedFuture(new IOException("HTTP 502")));

    assertThat(ok).isCompletedWithValue("a");
    assertThat(failed).isCompletedExceptionally();
    assertThat(throttle.snapshot().completedTasks()).isEqualTo(1);
    assertThat(throttle.snapshot().failuresInWindow()).isEqualTo(1);
    assertThat(throttle.snapshot().inFlight()).isZero();
  }

  @Test
  void acquireAsyncWaitsForItsDispatchSlotOnTheTimeSource() {
    Throttle throttle = throttle(quiet().minDispatchInterval(Duration.ofMillis(500)).build(), time);
    CompletableFuture<Permit> first = throttle.acquireAsync();
    CompletableFuture<Permit> second = throttle.acquireAsync();
    assertThat(first).isCompleted();
    assertThat(second).isNotDone();

    time.advance(Duration.ofMillis(500));

    assertThat(second).isCompleted();
  }

  @Test
  void acquireAsyncWaitsForTheTokenBudgetToo() throws Exception {
    Throttle throttle =
        throttle(quiet().tokenBudget(new TokenBudget(10, Duration.ofSeconds(5))).build(), time);
    throttle.acquireAsync(10).get(5, java.util.concurrent.TimeUnit.SECONDS).close();
    CompletableFuture<Permit> next = throttle.acquireAsync(5);
    await().until(() -> time.waiterCount() == 1);
    assertThat(next).isNotDone();

    time.advance(Duration.ofSeconds(5));

    next.get(5, java.util.concurrent.TimeUnit.SECONDS).close();
    assertThat(throttle.snapshot().tokensUsed()).isEqualTo(5);
  }

  @Test
  void acquireWithATimeoutGivesUpWhenNoSlotFreesInTime() throws Exception {
    Throttle throttle = throttle(quiet().maxConcurrency(1).build(), time);
    Permit held = throttle.acquire();
    CompletableFuture<Permit> waiting = new CompletableFuture<>();
    Thread.startVirtualThread(
        () -> {
          try {
            waiting.complete(throttle.acquire(Duration.ofSeconds(3)));
          } catch (Throwable e) {
            waiting.completeExceptionally(e);
          }
        });
    await().until(() -> time.waiterCount() == 1);
    time.advance(Duration.ofSeconds(3));
    assertThat(waiting)
        .failsWithin(Duration.ofSeconds(5))
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(ThrottleTimeoutException.class)
        .withMessageContaining("concurrency slot");
    held.close();
    assertThat(throttle.snapshot().inFlight()).isZero();
  }

  static CompletableFuture<Permit> acquireInBackground(Throttle throttle) {
    CompletableFuture<Permit> result = new CompletableFuture<>();
    Thread.startVirtualThread(
        () -> {
          try {
            result.complete(throttle.acquire());
          } catch (Throwable e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }

  static CompletableFuture<Boolean> drainInBackground(Throttle throttle, Duration timeout) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    Thread.startVirtualThread(
        () -> {
          try {
            result.complete(throttle.drain(timeout));
          } catch (Throwable e) {
            result.completeExceptionally(e);
          }
        });
    return result;
  }
}
