package dev.sluice.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitTest {

  @Test
  void refusesLimitsThatWouldSilentlyDisableOrBreakLimiting() {
    assertThatThrownBy(() -> Limit.of("a", 0, Duration.ofSeconds(1)))
        .hasMessage("limits[a].quota must be >= 1, was 0");
    assertThatThrownBy(
            () -> Limit.builder("a").quota(5).window(Duration.ofSeconds(1)).burst(0).build())
        .hasMessage("limits[a].burst must be >= 1, was 0");
    assertThatThrownBy(() -> Limit.of("a", 5, Duration.ZERO))
        .hasMessage("limits[a].window must be between 1ms and 366d, was PT0S");
    assertThatThrownBy(() -> Limit.of("a", 2_000_000, Duration.ofSeconds(1)))
        .hasMessage(
            "limits[a].quota must be at most one per microsecond of window (1000000), was 2000000");
    assertThatThrownBy(
            () ->
                Limit.builder("a")
                    .quota(20_000)
                    .window(Duration.ofHours(1))
                    .algorithm(Algorithm.SLIDING_LOG)
                    .build())
        .hasMessage("limits[a].quota of a sliding-log limit must be <= 10000, was 20000");
    assertThatThrownBy(() -> Limit.of("has space", 1, Duration.ofSeconds(1)))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessageContaining("\"has space\"");
  }

  @Test
  void aLimitIsStricterThanWrittenByAtMostOneNanosecondPerPermitNeverLooser() {
    Limit threePerSecond = Limit.of("a", 3, Duration.ofSeconds(1));
    assertThat(threePerSecond.intervalNanos()).isEqualTo(333_333_334);
  }

  @Test
  void aDecisionNamesTheViolatedLimitsAndTheTightestOne() {
    ManualTimeSource time = new ManualTimeSource();
    RateLimiter limiter = RateLimiter.builder().timeSource(time).build();
    List<Limit> limits =
        List.of(
            Limit.of("per-second", 2, Duration.ofSeconds(1)),
            Limit.of("per-day", 100, Duration.ofDays(1)));
    limiter.decide("k", limits, 2);
    Decision denied = limiter.decide("k", limits);

    assertThat(denied.allowed()).isFalse();
    assertThat(denied.violatedLimitIds()).containsExactly("per-second");
    assertThat(denied.tightest()).isZero();
    assertThat(denied.retryAfter()).isEqualTo(Duration.ofMillis(500));
    assertThat(denied.remaining(1)).isEqualTo(98);
    assertThat(denied.toString()).contains("denied", "per-second!", "retryAfter=PT0.5S");
  }

  @Test
  void limitListsMustBeNonEmptyWithDistinctIds() {
    RateLimiter limiter = RateLimiter.builder().build();
    Limit a = Limit.of("a", 1, Duration.ofSeconds(1));
    assertThatThrownBy(() -> limiter.decide("k", List.of()))
        .hasMessage("limits must hold 1 to 64 limits, was 0");
    assertThatThrownBy(() -> limiter.decide("k", List.of(a, a)))
        .hasMessage("limit ids must be distinct, was a twice");
    assertThatThrownBy(() -> limiter.decide("k", List.of(a), 0))
        .hasMessage("cost must be >= 1, was 0");
  }
}
