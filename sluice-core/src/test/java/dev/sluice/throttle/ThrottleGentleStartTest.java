package dev.sluice.throttle;

import static dev.sluice.throttle.ThrottleTestSupport.throttle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.time.ManualTimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A throttle against a server it knows nothing about yet, and after it is closed. */
class ThrottleGentleStartTest {
  private final ManualTimeSource time = new ManualTimeSource();

  @Test
  void theFirstCallGoesAloneUntilItsResponseIsIn() throws Exception {
    Throttle throttle =
        throttle(ThrottleConfig.builder().maxConcurrency(32).jitterFraction(0).build(), time);
    Permit first = throttle.acquire();
    CompletableFuture<Permit> second = throttle.acquireAsync();
    assertThat(second).isNotDone();
    assertThat(throttle.snapshot().concurrency()).isEqualTo(1);
    first.recordSuccess();
    first.close();
    time.advance(Duration.ofMillis(500)); // the slow start's first spacing, 2 calls per second
    assertThat(second).isCompleted();
    second.join().close();
  }

  @Test
  void aResponseStatingTheRateEndsSlowStartAndPacesToIt() throws Exception {
    Throttle throttle =
        throttle(ThrottleConfig.builder().maxConcurrency(32).jitterFraction(0).build(), time);
    try (Permit permit = throttle.acquire()) {
      time.advance(Duration.ofMillis(40));
      permit.recordHeaders(
          Map.of(
              "RateLimit-Policy", List.of("\"default\";q=50;w=1"),
              "RateLimit", List.of("\"default\";r=49;t=1")));
      permit.recordSuccess();
    }
    time.advance(Duration.ofMillis(100)); // the next review derives concurrency from the round trip
    ThrottleSnapshot snapshot = throttle.snapshot();
    assertThat(snapshot.serverInterval()).isEqualTo(Duration.ofMillis(20));
    assertThat(snapshot.dispatchInterval()).isLessThanOrEqualTo(Duration.ofMillis(20));
    // 50/s over twice a 40 ms round trip is 4 calls in flight, plus one
    assertThat(snapshot.concurrency()).isEqualTo(5);
  }

  @Test
  void aClosedThrottleReportsNoMoreSlowDownsOrSpeedUps() throws Exception {
    Throttle throttle =
        throttle(
            ThrottleConfig.builder().maxConcurrency(4).initialRate(10).jitterFraction(0).build(),
            time);
    ThrottleTestSupport.Events events = new ThrottleTestSupport.Events();
    throttle.addListener(events);
    Permit inFlight = throttle.acquire();
    throttle.close();
    int states = events.states.size();
    inFlight.recordFailure(new IOException("HTTP 429"));
    inFlight.close();
    time.advance(Duration.ofSeconds(30));
    throttle.recordFailure(new IOException("HTTP 429"));
    assertThat(events.slowDowns).isEmpty();
    assertThat(events.speedUps).isEmpty();
    assertThat(events.states).hasSize(states);
  }

  @Test
  void aCallBookedBeforeASlowDownBooksAgainAtTheNewSpacing() throws Exception {
    Throttle throttle =
        throttle(
            ThrottleConfig.builder().maxConcurrency(4).initialRate(10).jitterFraction(0).build(),
            time);
    Permit first = throttle.acquire();
    CompletableFuture<Permit> second = throttle.acquireAsync(); // booked 100 ms on
    time.advance(Duration.ofMillis(50));
    first.recordFailure(new IOException("HTTP 429"));
    first.close(); // the slow-down doubles the spacing at least
    Duration spacing = throttle.snapshot().dispatchInterval();
    assertThat(spacing).isGreaterThan(Duration.ofMillis(100));
    time.advance(Duration.ofMillis(50));
    assertThat(second).isNotDone(); // its old slot came, and it booked again
    time.advance(spacing);
    assertThat(second).isCompleted();
    second.join().close();
  }
}
