package dev.sluice.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.CallFailedException;
import dev.sluice.Sluice;
import dev.sluice.event.PolicyListener;
import dev.sluice.event.RetryAttempted;
import dev.sluice.time.ManualTimeSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static final Duration ONE_SECOND = Duration.ofSeconds(1);
  private final ManualTimeSource time = new ManualTimeSource();

  private RetryPolicy.Builder fixedOneSecond() {
    return RetryPolicy.builder().backoff(Backoff.fixed(ONE_SECOND)).timeSource(time);
  }

  @Test
  void aSuccessfulResultIsDone() {
    RetryPolicy policy = fixedOneSecond().build();
    assertThat(policy.decide(1, Duration.ZERO, null, "ok", null))
        .isEqualTo(new RetryDecision.Done());
  }

  @Test
  void anExceptionIsRetriedAfterTheBackoffByDefault() {
    RetryPolicy policy = fixedOneSecond().build();
    assertThat(policy.decide(1, Duration.ZERO, new IOException("down"), null, null))
        .isEqualTo(new RetryDecision.Retry(ONE_SECOND));
  }

  @Test
  void anErrorIsNotRetriedByDefault() {
    RetryPolicy policy = fixedOneSecond().build();
    assertThat(policy.decide(1, Duration.ZERO, new AssertionError(), null, null))
        .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.NOT_RETRYABLE));
  }

  @Test
  void onlyConfiguredFailuresAreRetried() {
    RetryPolicy policy = fixedOneSecond().retryOn(IOException.class).build();
    assertThat(policy.decide(1, Duration.ZERO, new java.net.SocketException(), null, null))
        .isInstanceOf(RetryDecision.Retry.class);
    assertThat(policy.decide(1, Duration.ZERO, new IllegalStateException(), null, null))
        .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.NOT_RETRYABLE));
  }

  @Test
  void aResultPredicateTurnsA503IntoARetry() {
    RetryPolicy policy =
        fixedOneSecond().retryIfResult(r -> Integer.valueOf(503).equals(r)).build();
    assertThat(policy.decide(1, Duration.ZERO, null, 503, null))
        .isEqualTo(new RetryDecision.Retry(ONE_SECOND));
    assertThat(policy.decide(1, Duration.ZERO, null, 200, null))
        .isEqualTo(new RetryDecision.Done());
  }

  @Test
  void resultRulesDoNotStopExceptionsFromBeingRetried() {
    RetryPolicy policy =
        fixedOneSecond().retryIfResult(r -> Integer.valueOf(503).equals(r)).build();
    assertThat(policy.decide(1, Duration.ZERO, new IOException(), null, null))
        .isEqualTo(new RetryDecision.Retry(ONE_SECOND));
  }

  @Test
  void anInterruptedAttemptStopsBlockingRetriesAndKeepsTheInterrupt() {
    RetryPolicy policy = fixedOneSecond().maxAttempts(5).build();
    AtomicInteger calls = new AtomicInteger();
    try {
      assertThatThrownBy(
              () ->
                  Sluice.with(policy)
                      .get(
                          () -> {
                            calls.incrementAndGet();
                            throw new InterruptedException();
                          }))
          .isInstanceOf(CallFailedException.class)
          .hasCauseInstanceOf(InterruptedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(calls).hasValue(1);
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void abortConditionsWinOverRetryRules() {
    RetryPolicy policy =
        fixedOneSecond()
            .retryOn(IOException.class)
            .abortOn(java.nio.file.AccessDeniedException.class)
            .abortIfResult(r -> Integer.valueOf(401).equals(r))
            .retryIfResult(r -> true)
            .build();
    assertThat(
            policy.decide(
                1, Duration.ZERO, new java.nio.file.AccessDeniedException("x"), null, null))
        .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.ABORTED));
    assertThat(policy.decide(1, Duration.ZERO, null, 401, null))
        .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.ABORTED));
  }

  @Test
  void maxAttemptsCountsTheFirstAttemptAndStopsExactlyAtTheLimit() {
    RetryPolicy policy = fixedOneSecond().maxAttempts(3).build();
    IOException failure = new IOException();
    assertThat(policy.decide(2, Duration.ZERO, failure, null, null))
        .isInstanceOf(RetryDecision.Retry.class);
    assertThat(policy.decide(3, Duration.ZERO, failure, null, null))
        .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.MAX_ATTEMPTS));
  }

  @Test
  void noRetryIsScheduledThatWouldEndPastTheTimeBudget() {
    RetryPolicy policy =
        fixedOneSecond().maxAttempts(100).maxElapsed(Duration.ofSeconds(10)).build();
    IOException failure = new IOException();
    assertThat(policy.decide(5, Duration.ofSeconds(9), failure, null, null))
        .isEqualTo(new RetryDecision.Retry(ONE_SECOND));
    assertThat(policy.decide(5, Duration.ofMillis(9001), failure, null, null))
        .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.MAX_ELAPSED));
  }

  @Test
  void theNextDelayIsTheLongerOfRetryAfterAndBackoff() {
    RetryPolicy policy = fixedOneSecond().build();
    IOException failure = new IOException();
    assertThat(policy.decide(1, Duration.ZERO, failure, null, Duration.ofSeconds(7)))
        .isEqualTo(new RetryDecision.Retry(Duration.ofSeconds(7)));
    assertThat(policy.decide(1, Duration.ZERO, failure, null, Duration.ofMillis(10)))
        .isEqualTo(new RetryDecision.Retry(ONE_SECOND));
  }

  @Test
  void retryAfterBeyondTheMaxDelayIsCappedOrGivenUpOn() {
    IOException failure = new IOException();
    RetryPolicy capping =
        fixedOneSecond().maxDelay(Duration.ofSeconds(30), RetrySchedule.OverMaxDelay.CAP).build();
    assertThat(capping.decide(1, Duration.ZERO, failure, null, Duration.ofHours(1)))
        .isEqualTo(new RetryDecision.Retry(Duration.ofSeconds(30)));
    RetryPolicy givingUp =
        fixedOneSecond()
            .maxDelay(Duration.ofSeconds(30), RetrySchedule.OverMaxDelay.GIVE_UP)
            .build();
    assertThat(givingUp.decide(1, Duration.ZERO, failure, null, Duration.ofSeconds(30)))
        .isEqualTo(new RetryDecision.Retry(Duration.ofSeconds(30)));
    assertThat(givingUp.decide(1, Duration.ZERO, failure, null, Duration.ofSeconds(31)))
        .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.RETRY_AFTER_TOO_LONG));
  }

  @Test
  void retryAfterIsReadFromTheOutcomeWhenTheCallerPassesNone() {
    RetryPolicy policy =
        fixedOneSecond()
            .retryIfResult(r -> r instanceof String s && s.startsWith("429"))
            .retryAfter(
                (failure, result) ->
                    result instanceof String s
                        ? RetryAfter.parse(s.substring(4), time.now())
                        : Optional.empty())
            .build();
    assertThat(policy.decide(1, Duration.ZERO, null, "429 12", null))
        .isEqualTo(new RetryDecision.Retry(Duration.ofSeconds(12)));
  }

  @Test
  void retryAfterReadingsAddUpAndTheFirstThatAnswersCounts() {
    RetryPolicy callers =
        fixedOneSecond()
            .retryAfter(
                (failure, result) ->
                    failure instanceof IllegalStateException
                        ? Optional.of(Duration.ofSeconds(7))
                        : Optional.empty())
            .build();
    RetryPolicy extended =
        callers.toBuilder()
            .retryAfter((failure, result) -> Optional.of(Duration.ofSeconds(3)))
            .build();

    assertThat(extended.decide(1, Duration.ZERO, new IllegalStateException(), null, null))
        .isEqualTo(new RetryDecision.Retry(Duration.ofSeconds(7))); // the caller's reading kept
    assertThat(extended.decide(1, Duration.ZERO, new IOException(), null, null))
        .isEqualTo(new RetryDecision.Retry(Duration.ofSeconds(3))); // the added one next
    assertThat(callers.decide(1, Duration.ZERO, new IOException(), null, null))
        .isEqualTo(new RetryDecision.Retry(ONE_SECOND)); // the original is unchanged
  }

  @Test
  void aStoredScheduleRebuildsAPolicyThatDecidesTheSame() {
    RetrySchedule schedule =
        new RetrySchedule(
            4,
            Duration.ofMinutes(1),
            Backoff.exponential(Duration.ofMillis(100), 3, Duration.ofSeconds(2))
                .withJitter(Jitter.factor(0.1)),
            Duration.ofSeconds(10),
            RetrySchedule.OverMaxDelay.GIVE_UP);
    RetryPolicy a =
        RetryPolicy.builder().schedule(schedule).random(new SplittableRandom(5)).build();
    RetryPolicy b = RetryPolicy.of(schedule).toBuilder().random(new SplittableRandom(5)).build();
    assertThat(b.schedule()).isEqualTo(schedule);
    for (int attempt = 1; attempt <= 4; attempt++) {
      assertThat(a.decide(attempt, Duration.ZERO, new IOException(), null, null))
          .isEqualTo(b.decide(attempt, Duration.ZERO, new IOException(), null, null));
    }
  }

  @Test
  void invalidSettingsAreRejectedNamingKeyRuleAndValue() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0).build())
        .hasMessage("retry.max-attempts must be >= 1, was 0");
    assertThatThrownBy(() -> RetryPolicy.builder().maxElapsed(Duration.ZERO).build())
        .hasMessage("retry.max-elapsed must be > 0, was PT0S");
    assertThatThrownBy(
            () ->
                RetryPolicy.builder()
                    .maxDelay(Duration.ofSeconds(-1), RetrySchedule.OverMaxDelay.CAP)
                    .build())
        .hasMessage("retry.max-delay must be >= 0, was PT-1S");
  }

  @Test
  void blockingExecutionWaitsThroughTheTimeSourceUntilSuccess() throws Exception {
    List<RetryAttempted> retries = new CopyOnWriteArrayList<>();
    RetryPolicy policy =
        fixedOneSecond()
            .maxAttempts(3)
            .listener(
                event -> {
                  if (event instanceof RetryAttempted attempt && attempt.retrying()) {
                    retries.add(attempt);
                  }
                })
            .build();
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<String> result =
        CompletableFuture.supplyAsync(
            () ->
                Sluice.with(policy)
                    .get(
                        () -> {
                          if (calls.incrementAndGet() < 3) {
                            throw new IOException("attempt " + calls.get());
                          }
                          return "ok";
                        }));
    await().until(() -> time.waiterCount() == 1);
    assertThat(calls).hasValue(1);
    time.advance(ONE_SECOND);
    await().until(() -> calls.get() == 2 && time.waiterCount() == 1);
    time.advance(ONE_SECOND);
    assertThat(result.get()).isEqualTo("ok");
    assertThat(retries).extracting(RetryAttempted::attempt).containsExactly(1, 2);
    assertThat(retries.get(1).elapsed()).isEqualTo(ONE_SECOND);
  }

  @Test
  void listenersHearTheGiveUpWithItsReasonAndTheSuccess() {
    List<RetryAttempted> giveUps = new CopyOnWriteArrayList<>();
    List<RetryAttempted> successes = new CopyOnWriteArrayList<>();
    PolicyListener listener =
        event -> {
          RetryAttempted attempt = (RetryAttempted) event;
          if (attempt.gaveUp()) {
            giveUps.add(attempt);
          } else if (attempt.succeeded()) {
            successes.add(attempt);
          }
        };
    RetryPolicy policy = fixedOneSecond().maxAttempts(1).listener(listener).build();
    IOException failure = new IOException();
    assertThatThrownBy(
            () ->
                Sluice.with(policy)
                    .get(
                        () -> {
                          throw failure;
                        }))
        .hasCause(failure);
    assertThat(Sluice.with(policy).get(() -> "ok")).isEqualTo("ok");
    assertThat(giveUps)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.failure()).isSameAs(failure);
              assertThat(e.decision())
                  .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.MAX_ATTEMPTS));
            });
    assertThat(successes).singleElement().satisfies(e -> assertThat(e.result()).isEqualTo("ok"));
  }

  @Test
  void blockingExecutionRethrowsTheLastUncheckedFailureAndWrapsACheckedOne() {
    RetryPolicy policy = fixedOneSecond().maxAttempts(1).build();
    UncheckedIOException unchecked = new UncheckedIOException(new IOException());
    assertThatThrownBy(
            () ->
                Sluice.with(policy)
                    .get(
                        () -> {
                          throw unchecked;
                        }))
        .isSameAs(unchecked);
    IOException checked = new IOException("gone");
    assertThatThrownBy(
            () ->
                Sluice.with(policy)
                    .get(
                        () -> {
                          throw checked;
                        }))
        .isInstanceOf(CallFailedException.class)
        .hasCause(checked);
  }

  @Test
  void blockingExecutionReturnsTheLastResultWhenResultRetriesRunOut() {
    RetryPolicy policy =
        RetryPolicy.builder()
            .backoff(Backoff.fixed(Duration.ZERO))
            .maxAttempts(2)
            .retryIfResult(r -> Integer.valueOf(503).equals(r))
            .timeSource(time)
            .build();
    AtomicInteger calls = new AtomicInteger();
    assertThat(Sluice.with(policy).get(() -> calls.incrementAndGet() > 0 ? 503 : 200))
        .isEqualTo(503);
    assertThat(calls).hasValue(2);
  }

  @Test
  void asyncExecutionRetriesOnTheTimeSourcesDelays() throws Exception {
    RetryPolicy policy = fixedOneSecond().maxAttempts(3).build();
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<String> result =
        policy.callAsync(
            () ->
                calls.incrementAndGet() < 3
                    ? CompletableFuture.failedFuture(new IOException())
                    : CompletableFuture.completedFuture("ok"));
    assertThat(calls).hasValue(1);
    assertThat(time.pendingDelays()).isEqualTo(1);
    time.advance(ONE_SECOND);
    assertThat(calls).hasValue(2);
    time.advance(ONE_SECOND);
    assertThat(result.get()).isEqualTo("ok");
  }

  @Test
  void asyncExecutionFailsWithTheLastFailureWhenItGivesUp() {
    RetryPolicy policy = fixedOneSecond().maxAttempts(2).build();
    IOException failure = new IOException("down");
    CompletableFuture<String> result =
        policy.callAsync(() -> CompletableFuture.failedFuture(failure));
    time.advance(ONE_SECOND);
    assertThat(result).isCompletedExceptionally();
    assertThatThrownBy(result::join).hasCause(failure);
  }

  @Test
  void asyncExecutionCanScheduleRetriesOnAScheduledExecutor() throws Exception {
    RetryPolicy policy =
        RetryPolicy.builder().backoff(Backoff.fixed(Duration.ofMillis(1))).maxAttempts(3).build();
    java.util.concurrent.ScheduledExecutorService scheduler =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      AtomicInteger calls = new AtomicInteger();
      CompletableFuture<String> result =
          policy.callAsync(
              () ->
                  calls.incrementAndGet() < 3
                      ? CompletableFuture.failedFuture(new IOException())
                      : CompletableFuture.completedFuture("ok"),
              scheduler);
      assertThat(result.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("ok");
      assertThat(calls).hasValue(3);
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void cancellingAnAsyncExecutionStopsFurtherAttempts() {
    RetryPolicy policy = fixedOneSecond().maxAttempts(5).build();
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<String> result =
        policy.callAsync(
            () -> {
              calls.incrementAndGet();
              return CompletableFuture.failedFuture(new IOException());
            });
    result.cancel(false);
    time.advance(Duration.ofSeconds(10));
    assertThat(calls).hasValue(1);
  }
}
