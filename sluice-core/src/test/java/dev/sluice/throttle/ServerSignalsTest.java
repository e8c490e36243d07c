package dev.sluice.throttle;

import static dev.sluice.throttle.ThrottleTestSupport.quiet;
import static dev.sluice.throttle.ThrottleTestSupport.throttle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ServerSignalsTest {
  private final ManualTimeSource time = new ManualTimeSource();

  private static Map<String, List<String>> headers(String... namesAndValues) {
    java.util.Map<String, List<String>> map = new java.util.LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
    }
    return map;
  }

  private void respond(Throttle throttle, Map<String, List<String>> headers) throws Exception {
    try (Permit permit = throttle.acquire()) {
      permit.recordHeaders(headers);
      permit.recordSuccess();
    }
  }

  @Test
  void retryAfterPausesNewDispatchForEveryoneUntilTheEarliestInstantItCanMean() throws Exception {
    Throttle throttle = throttle(quiet().build(), time);
    respond(throttle, headers("retry-after", "30")); // whole seconds, rounded up: (29 s, 30 s]

    CompletableFuture<Permit> a = throttle.acquireAsync();
    CompletableFuture<Permit> b = throttle.acquireAsync();
    time.advance(Duration.ofSeconds(28));
    assertThat(a).isNotDone();
    assertThat(b).isNotDone();

    time.advance(Duration.ofSeconds(1));

    assertThat(a).isCompleted();
    assertThat(b).isCompleted();
  }

  @Test
  void retryAfterAsAnHttpDateIsHonoured() throws Exception {
    Throttle throttle = throttle(quiet().build(), time);
    respond(throttle, headers("Retry-After", "Thu, 01 Jan 2026 00:01:00 GMT"));
    CompletableFuture<Permit> next = throttle.acquireAsync();
    time.advance(Duration.ofSeconds(58));
    assertThat(next).isNotDone();
    time.advance(Duration.ofSeconds(1));
    assertThat(next).isCompleted();
  }

  @Test
  void ietfRateLimitWithPolicyPacesAtTheServersSustainedRate() throws Exception {
    Throttle throttle = throttle(quiet().build(), time);
    respond(
        throttle,
        headers(
            "RateLimit-Policy", "\"default\";q=100;w=10", "RateLimit", "\"default\";r=90;t=10"));
    assertThat(throttle.snapshot().serverInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(throttle.snapshot().dispatchInterval()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void aLowRemainingCountNeverSlowsThePaceBelowTheStatedPolicy() throws Exception {
    // a token bucket says r=10;t=5 while it refills: spreading 10 calls over 5 s would waste it
    Throttle throttle = throttle(quiet().build(), time);
    respond(
        throttle,
        headers("RateLimit-Policy", "\"default\";q=100;w=10", "RateLimit", "\"default\";r=10;t=5"));
    assertThat(throttle.snapshot().serverInterval()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void withoutAPolicyTheRemainingCallsAreSpreadUntilTheReset() throws Exception {
    Throttle throttle = throttle(quiet().build(), time);
    respond(throttle, headers("X-RateLimit-Remaining", "10", "X-RateLimit-Reset", "5"));
    assertThat(throttle.snapshot().serverInterval()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void nothingRemainingUnderAPolicyKeepsThePolicysPaceWithoutAPause() throws Exception {
    // a bucket with no burst allowance says r=0 after every admitted call
    Throttle throttle = throttle(quiet().build(), time);
    for (int i = 0; i < 3; i++) {
      respond(
          throttle,
          headers("RateLimit-Policy", "\"default\";q=50;w=1", "RateLimit", "\"default\";r=0;t=1"));
      time.advance(Duration.ofMillis(20));
    }
    assertThat(throttle.snapshot().serverInterval()).isEqualTo(Duration.ofMillis(20));
    CompletableFuture<Permit> next = throttle.acquireAsync();
    time.advance(Duration.ofMillis(20));
    assertThat(next).isCompleted();
  }

  @Test
  void theMostRestrictiveOfSeveralQuotasWins() throws Exception {
    Throttle throttle = throttle(quiet().build(), time);
    respond(
        throttle,
        headers(
            "RateLimit-Policy",
            "\"burst\";q=100;w=10, \"daily\";q=1000;w=86400",
            "RateLimit",
            "\"burst\";r=90;t=10, \"daily\";r=100;t=3600"));
    // burst: 100 ms; daily, under half left: the larger of 86.4 s (sustained) and 36 s (spread)
    assertThat(throttle.snapshot().serverInterval()).isEqualTo(Duration.ofMillis(86_400));
  }

  @Test
  void nothingRemainingPausesDispatchUntilTheReset() throws Exception {
    Throttle throttle = throttle(quiet().build(), time);
    respond(throttle, headers("RateLimit", "\"default\";r=0;t=4"));
    CompletableFuture<Permit> next = throttle.acquireAsync();
    time.advance(Duration.ofSeconds(3));
    assertThat(next).isNotDone();
    time.advance(Duration.ofSeconds(1));
    assertThat(next).isCompleted();
  }

  @Test
  void legacyHeadersSpreadTheRemainingQuotaOverTheTimeToReset() throws Exception {
    Throttle throttle = throttle(quiet().build(), time);
    respond(
        throttle,
        headers(
            "X-RateLimit-Limit", "60", "X-RateLimit-Remaining", "20", "X-RateLimit-Reset", "40"));
    assertThat(throttle.snapshot().serverInterval()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aServerSpacingExpiresAfterTheResetWhenNotRenewed() throws Exception {
    Throttle throttle = throttle(quiet().build(), time);
    respond(throttle, headers("RateLimit", "\"default\";r=5;t=10"));
    assertThat(throttle.snapshot().serverInterval()).isEqualTo(Duration.ofSeconds(2));
    time.advance(Duration.ofSeconds(10));
    assertThat(throttle.snapshot().serverInterval()).isZero();
  }

  @Test
  void byteQuotasDoNotPaceRequests() throws Exception {
    Throttle throttle = throttle(quiet().build(), time);
    respond(
        throttle,
        headers(
            "RateLimit-Policy",
            "\"bytes\";q=1000;w=1;qu=\"content-bytes\"",
            "RateLimit",
            "\"bytes\";r=1;t=1"));
    assertThat(throttle.snapshot().serverInterval()).isZero();
  }

  @Test
  void malformedHeadersAreIgnored() throws Exception {
    Throttle throttle = throttle(quiet().build(), time);
    respond(
        throttle,
        headers(
            "Retry-After", "soon",
            "RateLimit", "garbage;;;",
            "RateLimit-Policy", "???",
            "X-RateLimit-Remaining", "many"));
    assertThat(throttle.snapshot().serverInterval()).isZero();
    assertThat(throttle.acquireAsync()).isCompleted();
  }

  @Property
  void anyHeaderTextNeverThrowsAndNeverMovesThePacerBackwards(
      @ForAll String retryAfter, @ForAll String rateLimit, @ForAll String policy) {
    DispatchPacer pacer = new DispatchPacer(0, 0, new java.util.Random(1));
    assertThatCode(
            () -> {
              ServerSignals.Effect effect =
                  ServerSignals.read(
                      headers(
                          "Retry-After",
                          retryAfter,
                          "RateLimit",
                          rateLimit,
                          "RateLimit-Policy",
                          policy),
                      java.time.Instant.parse("2026-01-01T00:00:00Z"));
              ServerSignals.apply(effect, 0, pacer);
            })
        .doesNotThrowAnyException();
    long pausedUntil = pacer.pausedUntil();
    assertThat(pausedUntil == Long.MIN_VALUE || pausedUntil >= 0)
        .as("no pause, or a pause that ends at or after now: %s", pausedUntil)
        .isTrue();
    assertThat(pacer.serverSpacing(0)).isNotNegative();
    assertThat(pacer.interval(0)).isNotNegative();
  }
}
