package dev.sluice.breaker;

import static dev.sluice.breaker.CircuitBreakerTransitionsTest.fail;
import static dev.sluice.breaker.CircuitBreakerTransitionsTest.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.time.ManualTimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class TripRulesTest {
  private final ManualTimeSource time = new ManualTimeSource();

  private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
    return CircuitBreaker.builder().config(config.build()).timeSource(time).build();
  }

  @Test
  void failuresInsideTheTimeWindowTripAtExactlyTheThreshold() {
    CircuitBreaker breaker =
        breaker(
            CircuitBreakerConfig.builder()
                .consecutiveFailures(0)
                .failuresWithin(3, Duration.ofSeconds(10)));
    fail(breaker, 1);
    succeed(breaker, 5);
    time.advance(Duration.ofSeconds(4));
    fail(breaker, 1);
    succeed(breaker, 5);
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    time.advance(Duration.ofSeconds(5)); // first failure 9 s ago: still inside
    fail(breaker, 1);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void aFailureExactlyOneWindowOldHasLeftTheWindow() {
    CircuitBreaker breaker =
        breaker(
            CircuitBreakerConfig.builder()
                .consecutiveFailures(0)
                .failuresWithin(2, Duration.ofSeconds(10)));
    fail(breaker, 1);
    time.advance(Duration.ofSeconds(10));
    fail(breaker, 1);
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    time.advance(Duration.ofSeconds(10).minusNanos(1));
    fail(breaker, 1);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void failureRateOverACountWindowTripsAtExactlyTheThresholdOnceTheMinimumIsSeen() {
    CircuitBreaker breaker =
        breaker(
            CircuitBreakerConfig.builder()
                .consecutiveFailures(0)
                .failureRate(50, WindowType.COUNT_BASED, 10, 10));
    fail(breaker, 5);
    succeed(breaker, 4);
    assertThat(breaker.state()).as("9 calls, below the minimum").isEqualTo(CircuitState.CLOSED);
    assertThat(breaker.snapshot().windowFailureRate()).isEqualTo(-1);
    succeed(breaker, 1);
    assertThat(breaker.state()).as("5 of 10 failed: 50%").isEqualTo(CircuitState.OPEN);
  }

  @Test
  void failureRateJustBelowTheThresholdDoesNotTrip() {
    CircuitBreaker breaker =
        breaker(
            CircuitBreakerConfig.builder()
                .consecutiveFailures(0)
                .failureRate(50, WindowType.COUNT_BASED, 10, 10));
    fail(breaker, 4);
    succeed(breaker, 6);
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(breaker.snapshot().windowFailureRate()).isEqualTo(40f);
    succeed(breaker, 1); // slides the oldest failure out
    assertThat(breaker.snapshot().windowFailureRate()).isEqualTo(30f);
  }

  @Test
  void failureRateOverATimeWindowForgetsOldCalls() {
    CircuitBreaker breaker =
        breaker(
            CircuitBreakerConfig.builder()
                .consecutiveFailures(0)
                .failureRate(50, WindowType.TIME_BASED, 10, 4));
    fail(breaker, 3);
    time.advance(Duration.ofSeconds(10));
    succeed(breaker, 3);
    fail(breaker, 2);
    assertThat(breaker.state())
        .as("the first failures left the window")
        .isEqualTo(CircuitState.CLOSED);
    assertThat(breaker.snapshot().windowCalls()).isEqualTo(5);
    fail(breaker, 1);
    assertThat(breaker.state()).as("3 of 6 failed").isEqualTo(CircuitState.OPEN);
  }

  @Test
  void slowCallRateTripsWhenEnoughCallsTakeTooLong() {
    CircuitBreaker breaker =
        breaker(
            CircuitBreakerConfig.builder()
                .consecutiveFailures(0)
                .slowCallRate(50, Duration.ofSeconds(2))
                .window(WindowType.COUNT_BASED, 4, 4));
    for (int i = 0; i < 3; i++) {
      CircuitPermit permit = breaker.acquire();
      time.advance(i == 0 ? Duration.ofSeconds(2) : Duration.ofMillis(1999));
      permit.recordSuccess();
    }
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    CircuitPermit slow = breaker.acquire();
    time.advance(Duration.ofSeconds(3));
    slow.recordSuccess();
    assertThat(breaker.state()).as("2 of 4 slow").isEqualTo(CircuitState.OPEN);
  }

  @Test
  void onlyRecordedExceptionsCountAsFailuresAndOthersAsSuccesses() {
    CircuitBreaker breaker =
        breaker(CircuitBreakerConfig.builder().consecutiveFailures(2).recordOn(IOException.class));
    breaker.acquire().recordOutcome(new IOException(), null);
    breaker.acquire().recordOutcome(new IllegalStateException(), null);
    breaker.acquire().recordOutcome(new IOException(), null);
    assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    breaker.acquire().recordOutcome(new java.net.SocketException(), null);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void ignoredExceptionsCountAsNothing() {
    CircuitBreaker breaker =
        breaker(
            CircuitBreakerConfig.builder()
                .consecutiveFailures(2)
                .ignoreOn(IllegalArgumentException.class));
    fail(breaker, 1);
    breaker.acquire().recordOutcome(new IllegalArgumentException(), null);
    breaker.acquire().recordOutcome(new CancellationException(), null);
    assertThat(breaker.snapshot().consecutiveFailures()).isEqualTo(1);
    assertThat(breaker.snapshot().counts().ignored()).isEqualTo(2);
  }

  @Test
  void aResultPredicateCountsA503AsAFailureWithoutAnException() throws Exception {
    CircuitBreaker breaker =
        breaker(
            CircuitBreakerConfig.builder()
                .consecutiveFailures(2)
                .failureIfResult(r -> Integer.valueOf(503).equals(r)));
    assertThat(breaker.call(() -> 503)).isEqualTo(503);
    assertThat(breaker.call(() -> 503)).isEqualTo(503);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThatThrownBy(() -> breaker.call(() -> 200)).isInstanceOf(CircuitOpenException.class);
  }

  @Test
  void invalidConfigurationsAreRejectedNamingKeyRuleAndValue() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().halfOpenProbes(0).build())
        .hasMessage("breaker.half-open-probes must be >= 1, was 0");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().consecutiveFailures(-1).build())
        .hasMessage("breaker.consecutive-failures must be >= 0, was -1");
    assertThatThrownBy(
            () ->
                CircuitBreakerConfig.builder()
                    .failureRate(120, WindowType.COUNT_BASED, 10, 5)
                    .build())
        .hasMessage("breaker.failure-rate-threshold must be within [0, 100], was 120.0");
    assertThatThrownBy(
            () ->
                CircuitBreakerConfig.builder()
                    .openDelay(Duration.ofSeconds(10))
                    .maxOpenDelay(Duration.ofSeconds(5))
                    .build())
        .hasMessage("breaker.max-open-delay must be >= open-delay (PT10S), was PT5S");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().probeTimeout(Duration.ZERO).build())
        .hasMessage("breaker.probe-timeout must be > 0, was PT0S");
  }
}
