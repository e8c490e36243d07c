package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.Limit;
import dev.sluice.testkit.RedisExtension;
import dev.sluice.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two hundred callers at once on one key: one script call each, no compare-and-set loop, so no
 * retries, no errors and no timeouts (Bucket4j's users see 3 s timeouts at 400 callers on one key).
 */
class HotKeyIT {
  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  private static final int CALLERS = 200;
  private static final int CALLS_EACH = 100;

  @Test
  void twoHundredConcurrentCallersOnOneKeyGetDecisionsWithoutRetriesOrErrors() throws Exception {
    RedisServer server = REDIS.server();
    List<Limit> limits =
        List.of(
            Limit.of("per-second", 5_000, Duration.ofSeconds(1)),
            Limit.of("per-minute", 100_000, Duration.ofMinutes(1)));
    try (RedisStore store =
        RedisStore.create(
            RedisStoreConfig.builder()
                .standalone(server.host() + ":" + server.port())
                .commandTimeout(Duration.ofSeconds(1))
                .onFailure(FailureMode.FAIL_CLOSED)
                .build())) {
      long[] latencies = new long[CALLERS * CALLS_EACH];
      AtomicLong admitted = new AtomicLong();
      AtomicLong unverified = new AtomicLong();
      CountDownLatch start = new CountDownLatch(1);
      long began;
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
          int caller = c;
          futures.add(
              pool.submit(
                  () -> {
                    start.await();
                    for (int i = 0; i < CALLS_EACH; i++) {
                      long t0 = System.nanoTime();
                      RedisDecision decision =
                          store.decideWithOrigin("hot", limits, 1, System.nanoTime());
                      latencies[caller * CALLS_EACH + i] = System.nanoTime() - t0;
                      if (!decision.verified()) {
                        unverified.incrementAndGet();
                      } else if (decision.decision().allowed()) {
                        admitted.incrementAndGet();
                      }
                    }
                    return null;
                  }));
        }
        began = System.nanoTime();
        start.countDown();
        for (Future<?> future : futures) {
          future.get();
        }
      }
      long elapsed = System.nanoTime() - began;
      Arrays.sort(latencies);
      long p50 = latencies[latencies.length / 2];
      long p99 = latencies[(int) (latencies.length * 0.99)];
      long max = latencies[latencies.length - 1];
      System.out.printf(
          "hot key: %d callers x %d decisions in %d ms (%.0f decisions/s), admitted %d,"
              + " p50 %d us, p99 %d us, max %d us%n",
          CALLERS,
          CALLS_EACH,
          elapsed / 1_000_000,
          CALLERS * CALLS_EACH / (elapsed / 1e9),
          admitted.get(),
          p50 / 1_000,
          p99 / 1_000,
          max / 1_000);
      assertThat(unverified.get()).isZero();
      assertThat(store.stats().retries()).isZero();
      assertThat(store.stats().failures()).isZero();
      assertThat(store.stats().redis()).isEqualTo(CALLERS * CALLS_EACH);
      assertThat(admitted.get()).isPositive();
      assertThat(max).isLessThan(Duration.ofSeconds(1).toNanos());
    }
  }
}
