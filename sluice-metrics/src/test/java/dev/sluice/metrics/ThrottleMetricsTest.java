package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.throttle.Permit;
import dev.sluice.throttle.Throttle;
import dev.sluice.throttle.ThrottleConfig;
import dev.sluice.time.ManualTimeSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThrottleMetricsTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void snapshotGaugesAndAdjustmentCountersFollowTheThrottle() throws Exception {
    Throttle throttle =
        Throttle.create(
            ThrottleConfig.builder()
                .maxConcurrency(8)
                .initialConcurrency(4)
                .initialRate(0)
                .jitterFraction(0)
                .failureThreshold(1)
                .coolingPeriod(Duration.ofSeconds(10))
                .safeCeilingDecay(Duration.ofSeconds(300))
                .totalTasks(4)
                .build(),
            time,
            new Random(1));
    ThrottleMetrics.of(throttle, "partner-api").bindTo(registry);

    for (int i = 0; i < 2; i++) {
      try (Permit permit = throttle.acquire()) {
        permit.recordSuccess();
      }
    }
    Permit held = throttle.acquire();
    assertThat(gauge("sluice.throttle.in.flight")).isEqualTo(1);
    assertThat(gauge("sluice.throttle.concurrency")).isEqualTo(4);
    assertThat(gauge("sluice.throttle.max.concurrency")).isEqualTo(8);
    assertThat(gauge("sluice.throttle.progress.completed")).isEqualTo(2);
    assertThat(gauge("sluice.throttle.progress.total")).isEqualTo(4);
    assertThat(gauge("sluice.throttle.waiting")).isZero();
    assertThat(gauge("sluice.throttle.tokens.remaining")).isNaN();
    assertThat(state("running")).isEqualTo(1);

    try (Permit failing = throttle.acquire()) {
      failing.recordFailure(new IOException("HTTP 503"));
    }
    assertThat(counter("sluice.throttle.slow.downs")).isEqualTo(1);
    assertThat(gauge("sluice.throttle.concurrency")).isLessThan(4);
    assertThat(state("cooling")).isEqualTo(1);
    assertThat(state("running")).isZero();
    assertThat(
            registry
                .get("sluice.throttle.dispatch.interval")
                .tag("throttle", "partner-api")
                .timeGauge()
                .value(TimeUnit.NANOSECONDS))
        .isEqualTo(throttle.snapshot().dispatchInterval().toNanos());

    // callers waiting for the slowed rate let it climb again once the hold is over
    List<CompletableFuture<Permit>> waiting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiting.add(throttle.acquireAsync());
    }
    time.advance(Duration.ofSeconds(10));
    assertThat(gauge("sluice.throttle.concurrency")).isPositive(); // the scrape lets it review
    assertThat(counter("sluice.throttle.speed.ups")).isGreaterThanOrEqualTo(1);
    held.recordSuccess();
    held.close();
    for (CompletableFuture<Permit> next : waiting) {
      time.advance(Duration.ofSeconds(1));
      next.join().close();
    }
    assertThat(gauge("sluice.throttle.in.flight")).isZero();
    assertThat(registry.find("sluice.throttle.state").gauges()).hasSize(5);
  }

  private double gauge(String name) {
    return registry.get(name).tag("throttle", "partner-api").gauge().value();
  }

  private double state(String state) {
    return registry
        .get("sluice.throttle.state")
        .tags("throttle", "partner-api", "state", state)
        .gauge()
        .value();
  }

  private double counter(String name) {
    return registry.get(name).tag("throttle", "partner-api").functionCounter().count();
  }
}
