package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.http.HttpRateLimiter;
import dev.sluice.http.HttpRequestView;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.policy.Penalty;
import dev.sluice.ratelimit.policy.Policy;
import dev.sluice.time.ManualTimeSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PenaltyMetricsTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private final HttpRateLimiter limiter =
      HttpRateLimiter.builder(
              Policy.builder()
                  .defaults(List.of(Limit.of("per-hour", 1, Duration.ofHours(1))))
                  .penalty(
                      Penalty.builder()
                          .threshold(1)
                          .cooldown(Duration.ofMinutes(1))
                          .multiplier(2)
                          .maxCooldown(Duration.ofHours(2))
                          .resetAfter(Duration.ofHours(2))
                          .build())
                  .build())
          .limiter(RateLimiter.builder().timeSource(time).build())
          .build();

  private void request(String address) {
    limiter.decide(HttpRequestView.of("GET", "/api", address, Map.of()));
  }

  /** One allowed request, then one refused: the refusal starts the client's next penalty. */
  private void offend(String address) {
    request(address);
    request(address);
  }

  private double active(String level) {
    return registry
        .get("sluice.ratelimit.penalties.active")
        .tags("policy", "public-api", "level", level)
        .gauge()
        .value();
  }

  private double started(String level) {
    return registry
        .get("sluice.ratelimit.penalties.started")
        .tags("policy", "public-api", "level", level)
        .functionCounter()
        .count();
  }

  @Test
  void penaltiesActiveAndStartedAreExportedByLevel() {
    new PenaltyMetrics(limiter.enforcer(), "public-api").bindTo(registry);
    offend("192.0.2.1");
    request("192.0.2.1"); // refused while penalized: nothing new starts
    offend("192.0.2.2");

    assertThat(active("1")).isEqualTo(2);
    assertThat(started("1")).isEqualTo(2);
    assertThat(started("2")).isZero();
    assertThat(
            registry
                .get("sluice.ratelimit.penalties.tracked")
                .tags("policy", "public-api")
                .gauge()
                .value())
        .isEqualTo(2);

    // client 1 offends after each penalty: levels 2 to 6 (1, 2, 4, 8, 16 minutes of cooldown)
    for (int level = 2; level <= 6; level++) {
      time.advance(Duration.ofMinutes(1L << (level - 2)));
      offend("192.0.2.1");
    }
    time.advance(Duration.ofSeconds(1)); // past the cache, on the enforcer's clock

    assertThat(active("1")).isZero(); // client 2 served its minute long ago
    assertThat(active("5+")).isEqualTo(1); // client 1 at level 6 is counted with 5 and above
    assertThat(started("1")).isEqualTo(2);
    assertThat(started("4")).isEqualTo(1);
    assertThat(started("5+")).isEqualTo(2); // levels 5 and 6
  }

  @Test
  void figuresAreCachedForASecondOnTheEnforcersClock() {
    new PenaltyMetrics(limiter.enforcer(), "public-api").bindTo(registry);
    assertThat(active("1")).isZero();
    offend("192.0.2.9");
    assertThat(active("1")).isZero(); // the figures of the last read, under a second old

    time.advance(Duration.ofSeconds(1));
    assertThat(active("1")).isEqualTo(1);
  }

  @Test
  void theTagLevelsAreFixedSoSeriesDoNotGrowWithPenalties() {
    new PenaltyMetrics(limiter.enforcer(), "public-api").bindTo(registry);
    int meters = registry.getMeters().size();
    for (int i = 0; i < 500; i++) {
      offend("198.51." + (i / 250) + "." + (i % 250));
    }
    assertThat(registry.getMeters()).hasSize(meters).hasSize(11);
  }
}
