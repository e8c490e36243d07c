package dev.sluice.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.event.BreakerTransitioned;
import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CircuitBreakerTransitionsTest {
  private static final Duration BASE = Duration.ofSeconds(10);
  private final ManualTimeSource time = new ManualTimeSource();
  private final List<BreakerTransitioned> transitions = new CopyOnWriteArrayList<>();

  private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
    return CircuitBreaker.builder()
        .name("test")
        .config(config.build())
        .timeSource(time)
        .listener(event -> transitions.add((BreakerTransitioned) event))
        .build();
  }

  private CircuitBreaker threeFailures() {
    return breaker(CircuitBreakerConfig.builder().consecutiveFailures(3).openDelay(BASE));
  }

  static void fail(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(breaker.acquire().recordFailure()).isTrue();
    }
  }

  static void succeed(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(breaker.acquire().recordSuccess()).isTrue();
    }
  }

  private List<String> transitionNames() {
    return transitions.stream().map(t -> t.from() + "->" + t.to()).toList();
  }

  @Test
  void closedOpensAtExactlyTheConsecutiveFailureThreshold() {
    CircuitBreaker breaker = threeFailures();
    fail(breaker, 2);
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    fail(breaker, 1);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(transitionNames()).containsExactly("CLOSED->OPEN");
  }

  @Test
  void aSuccessResetsTheConsecutiveFailureCount() {
    CircuitBreaker breaker = threeFailures();
    fail(breaker, 2);
    succeed(breaker, 1);
    fail(breaker, 2);
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(breaker.snapshot().consecutiveFailures()).isEqualTo(2);
  }

  @Test
  void openRejectsAtOnceWithTheRemainingDelayAsRetryAfter() {
    CircuitBreaker breaker = threeFailures();
    fail(breaker, 3);
    time.advance(Duration.ofSeconds(4));
    assertThatThrownBy(breaker::acquire)
        .isInstanceOfSatisfying(
            CircuitOpenException.class,
            e -> {
              assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(6));
              assertThat(e.state()).isEqualTo(CircuitState.OPEN);
              assertThat(e.breakerName()).isEqualTo("test");
            });
    assertThat(breaker.tryAcquire()).isEmpty();
    assertThat(breaker.snapshot().counts().rejected()).isEqualTo(2);
  }

  @Test
  void openTurnsHalfOpenExactlyWhenTheDelayHasPassed() {
    CircuitBreaker breaker = threeFailures();
    fail(breaker, 3);
    time.advance(BASE.minusNanos(1));
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(breaker.tryAcquire()).isEmpty();
    time.advanceNanos(1);
    assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(transitionNames()).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN");
  }

  @Test
  void halfOpenClosesAfterAsManySuccessesAsProbes() {
    CircuitBreaker breaker =
        breaker(
            CircuitBreakerConfig.builder()
                .consecutiveFailures(1)
                .openDelay(BASE)
                .halfOpenProbes(3));
    fail(breaker, 1);
    time.advance(BASE);
    CircuitPermit a = breaker.acquire();
    CircuitPermit b = breaker.acquire();
    CircuitPermit c = breaker.acquire();
    assertThat(breaker.tryAcquire()).as("a fourth probe").isEmpty();
    a.recordSuccess();
    b.recordSuccess();
    assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(breaker.tryAcquire()).as("a succeeded probe's slot stays used").isEmpty();
    c.recordSuccess();
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(transitionNames())
        .containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
  }

  @Test
  void aFailedProbeReopensForTwiceTheDelay() {
    CircuitBreaker breaker = threeFailures();
    fail(breaker, 3);
    time.advance(BASE);
    fail(breaker, 1);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(breaker.retryAfter()).isEqualTo(BASE.multipliedBy(2));
    assertThat(transitionNames())
        .containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN");
  }

  @Test
  void theOpenDelayDoublesWithEachFailedProbeUpToFiveTimesTheBaseAndClosingResetsIt() {
    CircuitBreaker breaker = threeFailures();
    fail(breaker, 3);
    List<Duration> delays = new java.util.ArrayList<>();
    delays.add(breaker.retryAfter());
    for (int i = 0; i < 5; i++) {
      time.advance(breaker.retryAfter());
      fail(breaker, 1);
      delays.add(breaker.retryAfter());
    }
    assertThat(delays)
        .containsExactly(
            BASE,
            BASE.multipliedBy(2),
            BASE.multipliedBy(4),
            BASE.multipliedBy(5),
            BASE.multipliedBy(5),
            BASE.multipliedBy(5));
    time.advance(breaker.retryAfter());
    succeed(breaker, 1);
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(breaker.snapshot().openDelay()).isEqualTo(BASE);
    fail(breaker, 3);
    assertThat(breaker.retryAfter()).isEqualTo(BASE);
  }

  @Test
  void anExplicitCapLimitsTheDoubling() {
    CircuitBreaker breaker =
        breaker(
            CircuitBreakerConfig.builder()
                .consecutiveFailures(1)
                .openDelay(BASE)
                .maxOpenDelay(Duration.ofSeconds(15)));
    fail(breaker, 1);
    time.advance(BASE);
    fail(breaker, 1);
    assertThat(breaker.retryAfter()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void aZeroOpenDelayAdmitsAProbeOnTheNextCall() {
    CircuitBreaker breaker =
        breaker(CircuitBreakerConfig.builder().consecutiveFailures(1).openDelay(Duration.ZERO));
    fail(breaker, 1);
    assertThat(breaker.tryAcquire()).isPresent();
    assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
  }

  @Test
  void tripHoldsTheBreakerOpenUntilReset() {
    CircuitBreaker breaker = threeFailures();
    breaker.trip();
    assertThat(breaker.state()).isEqualTo(CircuitState.FORCED_OPEN);
    time.advance(Duration.ofDays(1));
    assertThatThrownBy(breaker::acquire)
        .isInstanceOfSatisfying(
            CircuitOpenException.class,
            e -> assertThat(e.state()).isEqualTo(CircuitState.FORCED_OPEN));
    breaker.reset();
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(transitionNames()).containsExactly("CLOSED->FORCED_OPEN", "FORCED_OPEN->CLOSED");
  }

  @Test
  void resetClosesAnOpenBreakerAndClearsItsCounts() {
    CircuitBreaker breaker = threeFailures();
    fail(breaker, 3);
    breaker.reset();
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    fail(breaker, 2);
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void disabledLetsEverythingPassAndRecordsNothing() {
    CircuitBreaker breaker = threeFailures();
    breaker.disable();
    fail(breaker, 100);
    assertThat(breaker.state()).isEqualTo(CircuitState.DISABLED);
    assertThat(breaker.snapshot().counts().failures()).isEqualTo(100);
    breaker.openUntil(time.now().plusSeconds(60));
    assertThat(breaker.state()).isEqualTo(CircuitState.DISABLED);
    breaker.reset();
    assertThat(transitionNames()).containsExactly("CLOSED->DISABLED", "DISABLED->CLOSED");
  }

  @Test
  void openUntilHoldsTheBreakerOpenUntilThatInstantThenProbes() {
    CircuitBreaker breaker = threeFailures();
    breaker.openUntil(time.now().plusSeconds(120));
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThat(breaker.retryAfter()).isEqualTo(Duration.ofSeconds(120));
    time.advance(Duration.ofSeconds(119));
    assertThat(breaker.tryAcquire()).isEmpty();
    time.advance(Duration.ofSeconds(1));
    assertThat(breaker.tryAcquire()).isPresent();
    assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
  }

  @Test
  void openUntilNeverShortensALongerOpenPeriodAndIgnoresThePast() {
    CircuitBreaker breaker = threeFailures();
    breaker.openUntil(time.now().minusSeconds(5));
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    fail(breaker, 3);
    breaker.openUntil(time.now().plusSeconds(2));
    assertThat(breaker.retryAfter()).isEqualTo(BASE);
    breaker.openUntil(time.now().plusSeconds(40));
    assertThat(breaker.retryAfter()).isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void openUntilLeavesAForcedOpenBreakerForcedOpen() {
    CircuitBreaker breaker = threeFailures();
    breaker.trip();
    breaker.openUntil(time.now().plusSeconds(1));
    time.advance(Duration.ofSeconds(2));
    assertThat(breaker.state()).isEqualTo(CircuitState.FORCED_OPEN);
  }

  @Test
  void snapshotShowsStateCountsAndRetryAfter() {
    CircuitBreaker breaker = threeFailures();
    succeed(breaker, 2);
    fail(breaker, 3);
    time.advance(Duration.ofSeconds(3));
    assertThat(breaker.tryAcquire()).isEmpty();
    CircuitSnapshot snapshot = breaker.snapshot();
    assertThat(snapshot.state()).isEqualTo(CircuitState.OPEN);
    assertThat(snapshot.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(snapshot.counts()).isEqualTo(new CircuitSnapshot.Counts(5, 1, 2, 3, 0, 0));
  }

  @Test
  void aThrowingListenerDoesNotBreakTheBreaker() {
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .config(CircuitBreakerConfig.builder().consecutiveFailures(1).build())
            .timeSource(time)
            .listener(
                t -> {
                  throw new IllegalStateException("listener bug");
                })
            .build();
    fail(breaker, 1);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
  }
}
