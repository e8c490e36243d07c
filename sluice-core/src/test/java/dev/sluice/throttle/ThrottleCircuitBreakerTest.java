package dev.sluice.throttle;

import static dev.sluice.throttle.ThrottleTestSupport.quiet;
import static dev.sluice.throttle.ThrottleTestSupport.succeedOnce;
import static dev.sluice.throttle.ThrottleTestSupport.throttle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.breaker.CircuitOpenException;
import dev.sluice.time.ManualTimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The circuit breaker inside the throttle (gentlify's C.a and D.a breaker cases). */
class ThrottleCircuitBreakerTest {
  private final ManualTimeSource time = new ManualTimeSource();

  private Throttle withBreaker(Duration openDelay) {
    return throttle(
        quiet()
            .failureThreshold(100) // keep the adaptive slow-down out of the way
            .circuitBreaker(
                CircuitBreakerConfig.builder()
                    .consecutiveFailures(5)
                    .openDelay(openDelay)
                    .maxOpenDelay(Duration.ofMinutes(10))
                    .halfOpenProbes(1)
                    .build())
            .build(),
        time);
  }

  private static void fail(Throttle throttle, Map<String, List<String>> headers)
      throws InterruptedException {
    try (Permit permit = throttle.acquire()) {
      permit.recordHeaders(headers);
      permit.recordFailure(new IOException("HTTP 503"));
    }
  }

  @Test
  void circuitOpenStateIsReportedWhileTheBreakerIsOpenAndAcquireFailsFast() throws Exception {
    Throttle throttle = withBreaker(Duration.ofSeconds(30));
    ThrottleTestSupport.Events events = new ThrottleTestSupport.Events();
    throttle.addListener(events);
    for (int i = 0; i < 5; i++) {
      fail(throttle, Map.of());
    }

    assertThat(throttle.state()).isEqualTo(ThrottleState.CIRCUIT_OPEN);
    assertThat(throttle.snapshot().state()).isEqualTo(ThrottleState.CIRCUIT_OPEN);
    assertThat(events.states).contains("RUNNING->CIRCUIT_OPEN");
    assertThatThrownBy(throttle::acquire)
        .isInstanceOfSatisfying(
            CircuitOpenException.class,
            e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30)));
    assertThat(throttle.snapshot().inFlight()).isZero();

    time.advance(Duration.ofSeconds(30));
    succeedOnce(throttle); // the half-open probe

    assertThat(throttle.state()).isEqualTo(ThrottleState.RUNNING);
    assertThat(events.states).contains("CIRCUIT_OPEN->RUNNING");
  }

  @Test
  void anOpenDelayOfZeroLetsTheNextCallProbeAtOnce() throws Exception {
    Throttle throttle = withBreaker(Duration.ZERO);
    for (int i = 0; i < 5; i++) {
      fail(throttle, Map.of());
    }
    succeedOnce(throttle);
    assertThat(throttle.state()).isEqualTo(ThrottleState.RUNNING);
  }

  @Test
  void retryAfterOnAFailureHoldsTheOpenBreakerOpenUntilThen() throws Exception {
    Throttle throttle = withBreaker(Duration.ofSeconds(30));
    for (int i = 0; i < 4; i++) {
      fail(throttle, Map.of());
    }
    fail(throttle, Map.of("Retry-After", List.of("120")));
    assertThat(throttle.state()).isEqualTo(ThrottleState.CIRCUIT_OPEN);

    time.advance(Duration.ofSeconds(119));
    assertThat(throttle.state()).isEqualTo(ThrottleState.CIRCUIT_OPEN);
    assertThatThrownBy(throttle::acquire).isInstanceOf(CircuitOpenException.class);

    time.advance(Duration.ofSeconds(1));
    succeedOnce(throttle);
    assertThat(throttle.state()).isEqualTo(ThrottleState.RUNNING);
  }

  @Test
  void acquireAsyncFailsFastWhileTheBreakerIsOpen() throws Exception {
    Throttle throttle = withBreaker(Duration.ofSeconds(30));
    for (int i = 0; i < 5; i++) {
      fail(throttle, Map.of());
    }
    assertThat(throttle.acquireAsync())
        .failsWithin(Duration.ofSeconds(1))
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(CircuitOpenException.class);
    assertThat(throttle.snapshot().inFlight()).isZero();
  }

  @Test
  void breakerSettingsLoadFromTheMapAndRoundTrip() {
    ThrottleConfig config =
        ThrottleConfig.fromMap(
            Map.of(
                "circuit-breaker.consecutive-failures", "10",
                "circuit-breaker.open-delay", "30s",
                "circuit-breaker.max-open-delay", "150s",
                "circuit-breaker.half-open-probes", "1"));
    assertThat(config.circuitBreaker().consecutiveFailures()).isEqualTo(10);
    assertThat(config.circuitBreaker().openDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.circuitBreaker().maxOpenDelay()).isEqualTo(Duration.ofSeconds(150));
    assertThat(config.circuitBreaker().halfOpenProbes()).isEqualTo(1);
    assertThat(ThrottleConfig.fromMap(config.toMap()).toMap()).isEqualTo(config.toMap());
    assertThatThrownBy(
            () -> ThrottleConfig.fromMap(Map.of("circuit-breaker.half-open-probes", "0")))
        .hasMessageContaining("throttle.circuit-breaker")
        .hasMessageContaining("half-open-probes must be >= 1, was 0");
  }
}
