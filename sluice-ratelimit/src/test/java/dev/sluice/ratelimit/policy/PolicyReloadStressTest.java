package dev.sluice.ratelimit.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PolicyReloadStressTest {

  @Test
  void reloadingEquivalentPoliciesWhileEightThreadsEvaluateNeverResetsTheCounters()
      throws Exception {
    ManualTimeSource time = new ManualTimeSource();
    RateLimiter limiter = RateLimiter.builder().timeSource(time).build();
    // two policies that differ only in an unrelated rule: the api limits are equal
    Policy first = policy(false);
    Policy second = policy(true);
    PolicyEnforcer enforcer = PolicyEnforcer.create(first, limiter);
    Request request = Request.anonymous("GET", "/api/items", "192.0.2.1");
    AtomicLong admitted = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(9);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 5_000; i++) {
                    if (!enforcer.evaluate(request).blocked()) {
                      admitted.incrementAndGet();
                    }
                  }
                }));
      }
      Future<?> reloader =
          pool.submit(
              () -> {
                boolean flip = false;
                while (running.get()) {
                  enforcer.reload(flip ? first : second);
                  flip = !flip;
                }
              });
      for (Future<?> worker : workers) {
        worker.get();
      }
      running.set(false);
      reloader.get();
    } finally {
      pool.shutdownNow();
    }
    assertThat(admitted.get()).isEqualTo(1_000);
  }

  private static Policy policy(boolean withExtraRule) {
    Policy.Builder builder =
        Policy.builder()
            .rule(
                Rule.builder("api")
                    .path("/api/**")
                    .limits(List.of(Limit.of("per-hour", 1_000, Duration.ofHours(1))))
                    .build());
    if (withExtraRule) {
      builder.rule(
          Rule.builder("other")
              .path("/other")
              .limits(List.of(Limit.of("per-hour", 5, Duration.ofHours(1))))
              .build());
    }
    return builder.build();
  }
}
