package dev.sluice.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.store.MemoryStore;
import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RateLimiterConcurrencyTest {
  private static final int THREADS = 8;
  private static final int CALLS_PER_THREAD = 20_000;

  private static long hammer(RateLimiter limiter, List<Limit> limits) throws Exception {
    return hammerRotating(limiter, List.of(limits));
  }

  private static long hammerRotating(RateLimiter limiter, List<List<Limit>> rotation)
      throws Exception {
    return hammer(limiter, rotation, Executors.newFixedThreadPool(THREADS), THREADS);
  }

  /** Each thread walks the lists of limits from its own offset, one list per call. */
  private static long hammer(
      RateLimiter limiter, List<List<Limit>> rotation, ExecutorService pool, int threads)
      throws Exception {
    AtomicLong admitted = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < CALLS_PER_THREAD; i++) {
                    List<Limit> limits = rotation.get((thread + i) % rotation.size());
                    if (limiter.decide("hot", limits).allowed()) {
                      admitted.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return admitted.get();
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void eightThreadsHammeringOneKeyAdmitExactlyTheQuotaWithinAWindow(Algorithm algorithm)
      throws Exception {
    ManualTimeSource time = new ManualTimeSource();
    RateLimiter limiter = RateLimiter.builder().timeSource(time).build();
    Limit limit =
        Limit.builder("per-minute")
            .quota(5_000)
            .window(Duration.ofMinutes(1))
            .algorithm(algorithm)
            .build();

    assertThat(hammer(limiter, List.of(limit))).isEqualTo(5_000);

    // two windows on, even the sliding window has forgotten the first round
    time.advance(Duration.ofMinutes(2));
    assertThat(hammer(limiter, List.of(limit))).isEqualTo(5_000);
  }

  @Test
  void eightThreadsOnSeveralLimitsAdmitExactlyTheTightestQuota() throws Exception {
    ManualTimeSource time = new ManualTimeSource();
    RateLimiter limiter = RateLimiter.builder().timeSource(time).build();
    List<Limit> limits =
        List.of(
            Limit.of("per-second", 3_000, Duration.ofSeconds(1)),
            Limit.builder("per-hour")
                .quota(2_500)
                .window(Duration.ofHours(1))
                .algorithm(Algorithm.SLIDING_WINDOW)
                .build());

    assertThat(hammer(limiter, limits)).isEqualTo(2_500);
  }

  @Test
  void eightThreadsSwitchingOneKeyBetweenItsInlineAndArrayStateAdmitExactlyTheBurst()
      throws Exception {
    ManualTimeSource time = new ManualTimeSource();
    RateLimiter limiter = RateLimiter.builder().timeSource(time).build();
    Limit gcra = Limit.of("per-minute", 5_000, Duration.ofMinutes(1));
    Limit roomy = Limit.of("per-hour", 1_000_000, Duration.ofHours(1));
    // one GCRA limit alone is kept inline; with a second limit the key's state is an array
    List<List<Limit>> rotation = List.of(List.of(gcra), List.of(gcra, roomy));

    assertThat(hammerRotating(limiter, rotation)).isEqualTo(5_000);
  }

  @Test
  void sixtyFourVirtualThreadsHammeringOneKeyAdmitExactlyTheQuota() throws Exception {
    ManualTimeSource time = new ManualTimeSource();
    RateLimiter limiter = RateLimiter.builder().timeSource(time).build();
    Limit limit = Limit.of("per-minute", 5_000, Duration.ofMinutes(1));

    long admitted =
        hammer(limiter, List.of(List.of(limit)), Executors.newVirtualThreadPerTaskExecutor(), 64);

    assertThat(admitted).isEqualTo(5_000);
  }

  @Test
  void eightThreadsOnOneKeyNeverAdmitMoreThanBurstPlusRateTimesElapsedWhileTheClockRuns()
      throws Exception {
    RateLimiter limiter = RateLimiter.builder().build(); // the system clock
    Limit limit =
        Limit.builder("per-second").quota(1_000).window(Duration.ofSeconds(1)).burst(500).build();
    long start = System.nanoTime();

    long admitted = hammer(limiter, List.of(limit));

    long elapsed = System.nanoTime() - start;
    assertThat(admitted).isLessThanOrEqualTo(500 + 1_000 * elapsed / 1_000_000_000L + 1);
    assertThat(admitted).isGreaterThanOrEqualTo(500);
  }

  @Test
  void aMillionDistinctKeysStayWithinTheConfiguredBound() {
    ManualTimeSource time = new ManualTimeSource();
    MemoryStore store = MemoryStore.withMaxKeys(50_000);
    RateLimiter limiter = RateLimiter.builder().timeSource(time).store(store).build();
    List<Limit> limits = List.of(Limit.of("per-hour", 100, Duration.ofHours(1)));
    long maxSeen = 0;
    for (int i = 0; i < 1_000_000; i++) {
      assertThat(limiter.decide("client-" + i, limits).allowed()).isTrue();
      maxSeen = Math.max(maxSeen, store.size());
      if (i % 1000 == 0) {
        time.advanceNanos(1_000);
      }
    }
    assertThat(maxSeen).isLessThanOrEqualTo(50_000);
    assertThat(store.size()).isGreaterThan(40_000);
  }

  @Test
  void distinctKeysFromEightThreadsStayWithinTheBoundPlusOneKeyPerThread() throws Exception {
    ManualTimeSource time = new ManualTimeSource();
    MemoryStore store = MemoryStore.withMaxKeys(10_000);
    RateLimiter limiter = RateLimiter.builder().timeSource(time).store(store).build();
    List<Limit> limits = List.of(Limit.of("per-hour", 100, Duration.ofHours(1)));
    AtomicLong maxSeen = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 50_000; i++) {
                    limiter.decide(thread + "-" + i, limits);
                    maxSeen.accumulateAndGet(store.size(), Math::max);
                  }
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(maxSeen.get()).isLessThanOrEqualTo(10_000 + THREADS);
  }
}
