package dev.sluice.breaker;

import static dev.sluice.breaker.CircuitBreakerTransitionsTest.fail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.event.BreakerTransitioned;
import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class HalfOpenProbesTest {
  private static final Duration BASE = Duration.ofSeconds(10);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
  private final ManualTimeSource time = new ManualTimeSource();

  private CircuitBreaker halfOpenBreaker(int probes) {
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .config(
                CircuitBreakerConfig.builder()
                    .consecutiveFailures(1)
                    .openDelay(BASE)
                    .halfOpenProbes(probes)
                    .probeTimeout(PROBE_TIMEOUT)
                    .build())
            .timeSource(time)
            .build();
    fail(breaker, 1);
    time.advance(BASE);
    return breaker;
  }

  @RepeatedTest(20)
  void halfOpenAdmitsExactlyOneProbeWhen64ThreadsRace() throws Exception {
    assertThat(race(halfOpenBreaker(1), 64)).isEqualTo(1);
  }

  @RepeatedTest(20)
  void halfOpenAdmitsExactlyThreeProbesWhen64ThreadsRace() throws Exception {
    assertThat(race(halfOpenBreaker(3), 64)).isEqualTo(3);
  }

  @RepeatedTest(10)
  void openTurnsHalfOpenOnceAndAdmitsExactlyOneProbeWhen64ThreadsRaceAtTheDeadline()
      throws Exception {
    List<BreakerTransitioned> transitions = new java.util.concurrent.CopyOnWriteArrayList<>();
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .config(CircuitBreakerConfig.builder().consecutiveFailures(1).openDelay(BASE).build())
            .timeSource(time)
            .listener(event -> transitions.add((BreakerTransitioned) event))
            .build();
    fail(breaker, 1);
    time.advance(BASE);
    assertThat(race(breaker, 64)).isEqualTo(1);
    assertThat(transitions)
        .extracting(BreakerTransitioned::to)
        .containsExactly(CircuitState.OPEN, CircuitState.HALF_OPEN);
  }

  /** Starts all threads at once; each asks for one permit; returns how many got one. */
  private static int race(CircuitBreaker breaker, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Optional<CircuitPermit>>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return breaker.tryAcquire();
                }));
      }
      ready.await();
      go.countDown();
      int admitted = 0;
      for (Future<Optional<CircuitPermit>> result : results) {
        admitted += result.get().isPresent() ? 1 : 0;
      }
      return admitted;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anIgnoredProbeGivesItsPermitBack() {
    CircuitBreaker breaker = halfOpenBreaker(1);
    CircuitPermit probe = breaker.acquire();
    assertThat(breaker.tryAcquire()).isEmpty();
    assertThat(probe.recordIgnored()).isTrue();
    assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    CircuitPermit next = breaker.acquire();
    next.recordSuccess();
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aProbeClosedWithoutAReportGivesItsPermitBack() {
    CircuitBreaker breaker = halfOpenBreaker(1);
    try (CircuitPermit probe = breaker.acquire()) {
      assertThat(probe).isNotNull();
      assertThat(breaker.tryAcquire()).isEmpty();
    }
    assertThat(breaker.tryAcquire()).isPresent();
  }

  @Test
  void aCancelledAsyncProbeGivesItsPermitBack() {
    CircuitBreaker breaker = halfOpenBreaker(1);
    CompletableFuture<String> never = new CompletableFuture<>();
    CompletableFuture<String> call = breaker.callAsync(() -> never);
    assertThat(breaker.tryAcquire()).isEmpty();
    call.cancel(true);
    assertThat(breaker.snapshot().probesInFlight()).isZero();
    assertThat(breaker.tryAcquire()).isPresent();
  }

  @Test
  void aNeverReportedProbeIsReclaimedAfterTheProbeTimeoutAndItsLateReportChangesNothing() {
    CircuitBreaker breaker = halfOpenBreaker(1);
    CircuitPermit lost = breaker.acquire();
    assertThat(breaker.retryAfter()).isEqualTo(BASE);
    time.advance(PROBE_TIMEOUT.minusNanos(1));
    assertThat(breaker.tryAcquire()).isEmpty();
    assertThat(breaker.retryAfter()).isEqualTo(Duration.ofNanos(1));
    time.advanceNanos(1);
    CircuitPermit replacement = breaker.acquire();
    assertThat(breaker.snapshot().counts().probesReclaimed()).isEqualTo(1);
    assertThat(lost.recordFailure()).as("first report of the lost permit").isTrue();
    assertThat(breaker.state())
        .as("a reclaimed probe cannot reopen")
        .isEqualTo(CircuitState.HALF_OPEN);
    replacement.recordSuccess();
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aPermitCountsOnlyItsFirstReport() {
    CircuitBreaker breaker = halfOpenBreaker(2);
    CircuitPermit probe = breaker.acquire();
    assertThat(probe.recordSuccess()).isTrue();
    assertThat(probe.recordSuccess()).isFalse();
    assertThat(probe.recordFailure()).isFalse();
    assertThat(probe.recordIgnored()).isFalse();
    assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(breaker.snapshot().probeSuccesses()).isEqualTo(1);
    assertThat(breaker.snapshot().counts().successes()).isEqualTo(1);
  }

  @Test
  void aLateReportFromBeforeTheBreakerOpenedDoesNotJudgeTheProbe() {
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .config(CircuitBreakerConfig.builder().consecutiveFailures(1).openDelay(BASE).build())
            .timeSource(time)
            .build();
    CircuitPermit slowCall = breaker.acquire();
    fail(breaker, 1);
    time.advance(BASE);
    CircuitPermit probe = breaker.acquire();
    slowCall.recordFailure();
    assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    probe.recordSuccess();
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
  }
}
