package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.policy.Outcome;
import dev.sluice.ratelimit.policy.Policy;
import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionEventTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final List<DecisionEvent> events = new ArrayList<>();

  private HttpRateLimiter limiter(int timingSample) {
    Policy policy =
        Policy.builder()
            .defaults(
                List.of(
                    Limit.builder("per-second").quota(100).window(Duration.ofSeconds(1)).build(),
                    Limit.builder("per-minute").quota(5).window(Duration.ofMinutes(1)).build()))
            .build();
    return HttpRateLimiter.builder(policy)
        .limiter(RateLimiter.builder().timeSource(time).build())
        .timingSample(timingSample)
        .listener(events::add)
        .build();
  }

  private static HttpRequestView request() {
    return HttpRequestView.of("GET", "/items", "198.51.100.4", Map.of());
  }

  @Test
  void theEventNamesTheTightestLimitWithItsRemainingPermits() {
    HttpRateLimiter limiter = limiter(1);
    limiter.decide(request());
    limiter.decide(request());

    DecisionEvent second = events.get(1);
    assertThat(second.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(second.limitId()).isEqualTo("per-minute");
    assertThat(second.quota()).isEqualTo(5);
    assertThat(second.remaining()).isEqualTo(3);
    assertThat(second.identity()).isEqualTo("ip:198.51.100.4");
    assertThat(second.method()).isEqualTo("GET");
    assertThat(second.path()).isEqualTo("/items");
  }

  @Test
  void aRefusalNamesTheExhaustedLimitAndItsWait() {
    HttpRateLimiter limiter = limiter(1);
    for (int i = 0; i < 6; i++) {
      limiter.decide(request());
    }

    DecisionEvent refused = events.get(5);
    assertThat(refused.outcome()).isEqualTo(Outcome.DENIED);
    assertThat(refused.limitId()).isEqualTo("per-minute");
    assertThat(refused.remaining()).isZero();
    assertThat(refused.retryAfterNanos()).isPositive();
  }

  @Test
  void everyDecisionIsTimedWhenTheSampleIsOne() {
    HttpRateLimiter limiter = limiter(1);
    for (int i = 0; i < 50; i++) {
      limiter.decide(request());
    }

    assertThat(events).hasSize(50).allSatisfy(e -> assertThat(e.decisionNanos()).isNotNegative());
  }

  @Test
  void aSampledLimiterTimesSomeDecisionsAndMarksTheOthers() {
    HttpRateLimiter limiter = limiter(4);
    for (int i = 0; i < 2_000; i++) {
      limiter.decide(request());
    }

    long timed = events.stream().filter(e -> e.decisionNanos() >= 0).count();
    assertThat(events).allSatisfy(e -> assertThat(e.decisionNanos()).isGreaterThanOrEqualTo(-1));
    // one in four on average: far outside [300, 700] has odds below 1e-20
    assertThat(timed).isBetween(300L, 700L);
  }

  @Test
  void aTimingSampleOutsideItsRangeIsRefusedByName() {
    assertThatThrownBy(() -> HttpRateLimiter.builder(Policy.builder().build()).timingSample(0))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessage("http.timing-sample must be in 1..65536, was 0");
  }
}
