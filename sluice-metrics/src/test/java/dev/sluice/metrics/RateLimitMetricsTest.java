package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.http.HttpRateLimiter;
import dev.sluice.http.HttpRequestView;
import dev.sluice.http.JwtVerifier;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.policy.Penalty;
import dev.sluice.ratelimit.policy.Policy;
import dev.sluice.ratelimit.policy.Rule;
import dev.sluice.ratelimit.store.MemoryStore;
import dev.sluice.time.ManualTimeSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitMetricsTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MemoryStore store = MemoryStore.withMaxKeys(1000);
  private final RateLimitMetrics metrics =
      RateLimitMetrics.builder("public-api").topClientsSample(1).build();

  private HttpRateLimiter limiter() {
    Policy policy =
        Policy.builder()
            .rule(
                Rule.builder("search")
                    .path("/search")
                    .limits(List.of(Limit.of("search", 5, Duration.ofMinutes(1))))
                    .build())
            .penalty(
                Penalty.builder()
                    .threshold(1)
                    .window(Duration.ofMinutes(1))
                    .cooldown(Duration.ofMinutes(1))
                    .maxCooldown(Duration.ofMinutes(10))
                    .build())
            .build();
    return HttpRateLimiter.builder(policy)
        .limiter(RateLimiter.builder().store(store).timeSource(time).build())
        .tokens(
            JwtVerifier.builder()
                .hmacSecret(
                    "a-secret-of-at-least-thirty-two-bytes!".getBytes(StandardCharsets.UTF_8))
                .timeSource(time)
                .build())
        .listener(metrics)
        .timingSample(1)
        .build();
  }

  private static HttpRequestView get(String path, String peer, String... authorization) {
    return HttpRequestView.of(
        "GET",
        path,
        peer,
        authorization.length == 0 ? Map.of() : Map.of("Authorization", List.of(authorization)));
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  @Test
  void aKnownSequenceOfDecisionsShowsInEveryMeter() {
    metrics.bindTo(registry);
    new LimitStoreMetrics(store, "local").bindTo(registry);
    HttpRateLimiter limiter = limiter();

    for (int i = 0; i < 5; i++) {
      assertThat(limiter.decide(get("/search", "10.0.0.1")).proceed()).isTrue();
    }
    assertThat(limiter.decide(get("/search", "10.0.0.1")).status()).isEqualTo(429); // denied
    assertThat(limiter.decide(get("/search", "10.0.0.1")).status()).isEqualTo(429); // penalized
    assertThat(limiter.decide(get("/other", "10.0.0.2", "Bearer not-a-jwt")).proceed()).isTrue();

    String[] search = {"policy", "public-api", "rule", "search", "tier", "anonymous"};
    assertThat(counter("sluice.ratelimit.decisions", with(search, "outcome", "allowed")))
        .isEqualTo(5);
    assertThat(counter("sluice.ratelimit.decisions", with(search, "outcome", "denied")))
        .isEqualTo(1);
    assertThat(
            counter(
                "sluice.ratelimit.decisions",
                "policy",
                "public-api",
                "outcome",
                "penalized",
                "rule",
                "none",
                "tier",
                "anonymous"))
        .isEqualTo(1);
    assertThat(
            counter(
                "sluice.ratelimit.decisions",
                "policy",
                "public-api",
                "outcome",
                "unlimited",
                "rule",
                "none",
                "tier",
                "anonymous"))
        .isEqualTo(1);
    // remaining 4, 3, 2, 1, 0 of a quota of 5: only the last is under 20%
    assertThat(counter("sluice.ratelimit.near.limit", search)).isEqualTo(1);
    assertThat(counter("sluice.ratelimit.penalized", "policy", "public-api", "level", "1"))
        .isEqualTo(1);
    assertThat(counter("sluice.http.token.failures", "policy", "public-api", "reason", "malformed"))
        .isEqualTo(1);
    assertThat(registry.get("sluice.ratelimit.decision.duration").timer().count()).isEqualTo(8);
    assertThat(gauge("sluice.ratelimit.top.client.decisions", "rank", "1")).isEqualTo(7);
    assertThat(gauge("sluice.ratelimit.top.client.decisions", "rank", "2")).isEqualTo(1);
    assertThat(gauge("sluice.ratelimit.top.client.decisions", "rank", "3")).isZero();
    assertThat(gauge("sluice.ratelimit.top.client.decisions", "rank", "other")).isZero();
    assertThat(metrics.topClients().top().get(0).getKey()).isEqualTo("ip:10.0.0.1");
    assertThat(registry.get("sluice.ratelimit.store.keys").tag("store", "local").gauge().value())
        .isEqualTo(store.size())
        .isPositive();
    assertThat(registry.get("sluice.ratelimit.store.max.keys").gauge().value()).isEqualTo(1000);
  }

  @Test
  void decisionsBeforeBindingAreNotCountedAndBindingTwiceIsRefused() {
    HttpRateLimiter limiter = limiter();
    limiter.decide(get("/search", "10.0.0.1"));
    metrics.bindTo(registry);
    limiter.decide(get("/search", "10.0.0.1"));
    assertThat(
            counter(
                "sluice.ratelimit.decisions",
                "policy",
                "public-api",
                "outcome",
                "allowed",
                "rule",
                "search",
                "tier",
                "anonymous"))
        .isEqualTo(1);
    org.assertj.core.api.Assertions.assertThatIllegalStateException()
        .isThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry()))
        .withMessageContaining("public-api");
  }

  @Test
  void topClientsKeepTheHeaviestAndSumTheOthers() {
    metrics.bindTo(registry);
    HttpRateLimiter limiter = limiter();
    for (int client = 0; client < 500; client++) {
      limiter.decide(get("/other", "10.1." + (client / 250) + "." + (client % 250)));
    }
    for (int i = 0; i < 50; i++) {
      limiter.decide(get("/other", "10.9.9.9"));
    }
    // Space-Saving: a client that holds a slot is counted exactly from then on
    assertThat(metrics.topClients().top().get(0).getValue()).isGreaterThanOrEqualTo(50);
    assertThat(metrics.topClients().top().get(0).getKey()).isEqualTo("ip:10.9.9.9");
    double reported = 0;
    for (int rank = 1; rank <= 10; rank++) {
      reported += gauge("sluice.ratelimit.top.client.decisions", "rank", Integer.toString(rank));
    }
    assertThat(reported + gauge("sluice.ratelimit.top.client.decisions", "rank", "other"))
        .isEqualTo(550);
    assertThat(registry.find("sluice.ratelimit.top.client.decisions").gauges()).hasSize(11);
  }

  @Test
  void sampledTimingAndTopClientsStandForEveryDecision() {
    RateLimitMetrics sampled = RateLimitMetrics.builder("sampled").topClientsSample(8).build();
    sampled.bindTo(registry);
    List<Long> timings = new java.util.ArrayList<>();
    HttpRateLimiter limiter =
        HttpRateLimiter.builder(Policy.builder().build())
            .limiter(RateLimiter.builder().store(store).timeSource(time).build())
            .listener(DecisionListeners.all(sampled, e -> timings.add(e.decisionNanos())))
            .timingSample(4)
            .build();
    int decisions = 8000;
    for (int i = 0; i < decisions; i++) {
      // one heavy client among many light ones
      limiter.decide(get("/x", i % 2 == 0 ? "10.9.9.9" : "10.1." + (i % 200) + ".1"));
    }
    long timed = timings.stream().filter(n -> n >= 0).count();
    assertThat(timings).hasSize(decisions).allMatch(n -> n >= -1);
    // one in 4 at random: 2000 expected, the bounds are 9 standard deviations wide
    assertThat(timed).isBetween(1650L, 2350L);
    assertThat(registry.get("sluice.ratelimit.decision.duration").tag("policy", "sampled").timer())
        .satisfies(t -> assertThat(t.count()).isEqualTo(timed));
    // every decision is counted by the counters, sampled or not
    assertThat(
            registry
                .get("sluice.ratelimit.decisions")
                .tags("policy", "sampled", "outcome", "unlimited")
                .counter()
                .count())
        .isEqualTo(decisions);
    // one in 8 recorded with weight 8: the heavy client's 4000 are estimated, the total is a
    // multiple
    TopClients top = sampled.topClients();
    assertThat(top.top().get(0).getKey()).isEqualTo("ip:10.9.9.9");
    assertThat(top.top().get(0).getValue()).isBetween(3000L, 5000L);
    assertThat(top.total() % 8).isZero();
    assertThat(top.total()).isBetween(6500L, 9500L);
  }

  @Test
  void samplesOutsideTheirRangeAreRefusedByName() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> RateLimitMetrics.builder("p").topClientsSample(0))
        .withMessage("ratelimit.metrics.top-clients-sample must be in 1..65536, was 0");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> HttpRateLimiter.builder(Policy.builder().build()).timingSample(70_000))
        .hasMessage("http.timing-sample must be in 1..65536, was 70000");
  }

  private double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  private static String[] with(String[] tags, String key, String value) {
    String[] out = java.util.Arrays.copyOf(tags, tags.length + 2);
    out[tags.length] = key;
    out[tags.length + 1] = value;
    return out;
  }
}
