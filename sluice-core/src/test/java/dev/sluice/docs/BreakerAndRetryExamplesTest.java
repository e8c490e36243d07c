package dev.sluice.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.Sluice;
import dev.sluice.breaker.CircuitBreaker;
import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.breaker.CircuitOpenException;
import dev.sluice.breaker.CircuitPermit;
import dev.sluice.breaker.CircuitState;
import dev.sluice.breaker.WindowType;
import dev.sluice.event.BreakerTransitioned;
import dev.sluice.retry.Backoff;
import dev.sluice.retry.Failover;
import dev.sluice.retry.Jitter;
import dev.sluice.retry.OperationProfile;
import dev.sluice.retry.OperationProfiles;
import dev.sluice.retry.OperationType;
import dev.sluice.retry.RateLearner;
import dev.sluice.retry.RateLimitHeaders;
import dev.sluice.retry.RetryAfter;
import dev.sluice.retry.RetryDecision;
import dev.sluice.retry.RetryPolicy;
import dev.sluice.retry.RetrySchedule;
import dev.sluice.time.ManualTimeSource;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/breaker-and-retry.md, run against a manual clock and stub services. */
class BreakerAndRetryExamplesTest {
  private final ManualTimeSource time = new ManualTimeSource();

  @Test
  void circuitBreakerExample() throws Exception {
    List<String> log = new ArrayList<>();
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .name("inventory")
            .config(
                CircuitBreakerConfig.builder()
                    .consecutiveFailures(5)
                    .failuresWithin(20, Duration.ofMinutes(1))
                    .failureRate(50, WindowType.COUNT_BASED, 100, 20)
                    .ignoreOn(IllegalArgumentException.class)
                    .failureIfResult(r -> r instanceof Integer s && s >= 500)
                    .openDelay(Duration.ofSeconds(10))
                    .halfOpenProbes(1)
                    .build())
            .listener(
                e -> {
                  if (e instanceof BreakerTransitioned t) {
                    log.add(t.breakerName() + ": " + t.from() + " -> " + t.to());
                  }
                })
            .timeSource(time)
            .build();

    for (int i = 0; i < 5; i++) {
      assertThat(Sluice.with(breaker).get(() -> 503)).isEqualTo(503);
    }
    assertThatThrownBy(() -> Sluice.with(breaker).get(() -> 200))
        .isInstanceOfSatisfying(
            CircuitOpenException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(10)));
    time.advance(Duration.ofSeconds(10));
    assertThat(Sluice.with(breaker).get(() -> 200)).isEqualTo(200);
    assertThat(log)
        .containsExactly(
            "inventory: CLOSED -> OPEN",
            "inventory: OPEN -> HALF_OPEN",
            "inventory: HALF_OPEN -> CLOSED");
  }

  @Test
  void permitExample() {
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .config(
                CircuitBreakerConfig.builder()
                    .consecutiveFailures(1)
                    .failureIfResult(r -> Integer.valueOf(503).equals(r))
                    .build())
            .timeSource(time)
            .build();
    Optional<CircuitPermit> maybe = breaker.tryAcquire();
    assertThat(maybe).isPresent();
    try (CircuitPermit permit = maybe.get()) {
      int status = 503;
      permit.recordOutcome(null, status);
    }
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(breaker.tryAcquire()).isEmpty();
    assertThat(breaker.retryAfter()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void retryExample() {
    RetryPolicy policy =
        RetryPolicy.builder()
            .maxAttempts(5)
            .maxElapsed(Duration.ofMinutes(2))
            .backoff(
                Backoff.exponential(Duration.ofMillis(200), 2, Duration.ofSeconds(30))
                    .withJitter(Jitter.FULL))
            .maxDelay(Duration.ofMinutes(1), RetrySchedule.OverMaxDelay.GIVE_UP)
            .retryOn(IOException.class)
            .retryIfResult(r -> r instanceof Integer status && (status == 429 || status == 503))
            .abortOn(AccessDeniedException.class)
            .random(new SplittableRandom(42))
            .timeSource(time)
            .build();

    RetryDecision decision =
        policy.decide(
            1,
            Duration.ZERO,
            null,
            429,
            RetryAfter.parse("Thu, 01 Jan 2026 00:00:20 GMT", time.now()).orElse(null));
    String action =
        switch (decision) {
          case RetryDecision.Retry retry -> "reschedule in " + retry.delay();
          case RetryDecision.Done done -> "complete";
          case RetryDecision.GiveUp giveUp -> "fail: " + giveUp.reason();
        };
    assertThat(action).isEqualTo("reschedule in PT20S");
    assertThat(policy.decide(1, Duration.ZERO, null, 429, Duration.ofMinutes(5)))
        .isEqualTo(new RetryDecision.GiveUp(RetryDecision.Reason.RETRY_AFTER_TOO_LONG));
  }

  @Test
  void headerExamples() {
    assertThat(RetryAfter.parse("120", time.now())).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse("Thu, 01 Jan 2026 00:01:30 GMT", time.now()))
        .contains(Duration.ofSeconds(90));
    assertThat(RetryAfter.parse("abc", time.now())).isEmpty();
    assertThat(RetryAfter.fromRateLimit("\"burst\";r=0;t=30")).contains(Duration.ofSeconds(30));
    assertThat(RateLimitHeaders.parsePolicies("\"burst\";q=100;w=60,\"daily\";q=1000;w=86400"))
        .hasSize(2);
  }

  @Test
  void profileExample() {
    OperationProfiles profiles =
        OperationProfiles.presets()
            .with(OperationProfile.preset(OperationType.DOWNLOAD).withMaxAttempts(10));
    RetryPolicy download =
        profiles.get(OperationType.DOWNLOAD).policy().toBuilder()
            .retryOn(IOException.class)
            .build();
    assertThat(download.schedule().maxAttempts()).isEqualTo(10);
    AtomicInteger primaryCalls = new AtomicInteger();
    String location =
        Failover.<String>firstSuccess(
            List.of(
                () -> {
                  primaryCalls.incrementAndGet();
                  throw new IllegalStateException("primary down");
                },
                () -> "https://mirror.example/artifact"),
            profiles.get(OperationType.RESOLVE).policy().toBuilder()
                .timeSource(time)
                .build()
                .toBuilder()
                .retryIf(e -> false)
                .build());
    assertThat(location).isEqualTo("https://mirror.example/artifact");
    assertThat(primaryCalls).hasValue(1);
  }

  @Test
  void retryAndBreakerTogetherExample() throws Exception {
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .config(
                CircuitBreakerConfig.builder()
                    .consecutiveFailures(1)
                    .openDelay(Duration.ofSeconds(10))
                    .build())
            .timeSource(time)
            .build();
    RetryPolicy policy =
        RetryPolicy.builder()
            .maxAttempts(3)
            .backoff(Backoff.fixed(Duration.ofSeconds(1)))
            .retryAfter(
                (failure, result) ->
                    failure instanceof CircuitOpenException open
                        ? Optional.of(open.retryAfter())
                        : Optional.empty())
            .timeSource(time)
            .build();
    AtomicInteger calls = new AtomicInteger();
    java.util.concurrent.CompletableFuture<String> body =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                Sluice.with(policy, breaker)
                    .get(
                        () -> {
                          if (calls.incrementAndGet() == 1) {
                            throw new IOException("down");
                          }
                          return "body";
                        }));
    org.awaitility.Awaitility.await().until(() -> time.waiterCount() == 1);
    time.advance(Duration.ofSeconds(1)); // attempt 2: rejected, the breaker says 9 s more
    org.awaitility.Awaitility.await()
        .until(() -> time.waiterCount() == 1 && breaker.snapshot().counts().rejected() == 1);
    time.advance(Duration.ofSeconds(9)); // attempt 3: the half-open probe succeeds
    assertThat(body.get()).isEqualTo("body");
    assertThat(calls).hasValue(2);
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void rateLearningExample(@TempDir Path dir) {
    RateLearner learner =
        RateLearner.builder()
            .enabled(true)
            .persistTo(dir.resolve("provider-rates.json"))
            .timeSource(time)
            .build();
    for (int status : new int[] {429, 429, 429, 429, 429}) {
      if (status == 429) {
        learner.recordThrottled("api.example.com");
      } else {
        learner.recordSuccess("api.example.com");
      }
    }
    assertThat(learner.allowedRate("api.example.com", 50.0)).isEqualTo(40.0);
  }
}
