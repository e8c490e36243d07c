package dev.sluice.bench.ratelimit;

import com.google.common.util.concurrent.RateLimiter;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.store.MemoryStore;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.SynchronizationStrategy;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One permit taken from a limiter that always has room, for one hot key or spread over 100k keys,
 * side by side: Sluice's {@code RateLimiter} (GCRA on the {@link MemoryStore}), Bucket4j's local
 * bucket (lock-free and synchronized), Resilience4j's {@code AtomicRateLimiter} and Guava's {@code
 * RateLimiter}. Peers get one limiter per key in a {@link ConcurrentHashMap}, as their users key
 * them; Sluice keys internally. The subclasses fix the thread count.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class RateLimiterBenchmark {
  /** Room that never runs out during a run: one million a second, a burst of ten billion. */
  private static final long RATE_PER_SECOND = 1_000_000;

  private static final long BURST = 10_000_000_000L;

  /** What is shared by the threads of a run. */
  @State(Scope.Benchmark)
  public static class Limiters {
    @Param({"1", "100000"})
    public int keys;

    String[] names;
    dev.sluice.ratelimit.RateLimiter sluice;
    List<Limit> limits;
    ConcurrentHashMap<String, Bucket> lockFree = new ConcurrentHashMap<>();
    ConcurrentHashMap<String, Bucket> synchronizedBuckets = new ConcurrentHashMap<>();
    ConcurrentHashMap<String, AtomicRateLimiter> resilience4j = new ConcurrentHashMap<>();
    ConcurrentHashMap<String, RateLimiter> guava = new ConcurrentHashMap<>();

    @Setup(Level.Trial)
    public void setUp() {
      names = new String[keys];
      for (int i = 0; i < keys; i++) {
        names[i] = "client-" + i;
      }
      sluice =
          dev.sluice.ratelimit.RateLimiter.builder()
              .store(MemoryStore.withMaxKeys(Math.max(keys, 1_000)))
              .build();
      limits =
          List.of(
              Limit.builder("bench")
                  .quota(RATE_PER_SECOND)
                  .window(Duration.ofSeconds(1))
                  .burst(BURST)
                  .build());
      RateLimiterConfig r4j =
          RateLimiterConfig.custom()
              .limitForPeriod(Integer.MAX_VALUE)
              .limitRefreshPeriod(Duration.ofSeconds(1))
              .timeoutDuration(Duration.ZERO)
              .build();
      for (String name : names) {
        sluice.decide(name, limits);
        lockFree.put(name, bucket(SynchronizationStrategy.LOCK_FREE));
        synchronizedBuckets.put(name, bucket(SynchronizationStrategy.SYNCHRONIZED));
        resilience4j.put(name, new AtomicRateLimiter(name, r4j));
        guava.put(name, RateLimiter.create(1e12));
      }
    }

    private static Bucket bucket(SynchronizationStrategy strategy) {
      return Bucket.builder()
          .addLimit(
              limit -> limit.capacity(BURST).refillGreedy(RATE_PER_SECOND, Duration.ofSeconds(1)))
          .withNanosecondPrecision()
          .withSynchronizationStrategy(strategy)
          .build();
    }
  }

  /** Each thread walks the keys from its own offset. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    @Setup(Level.Trial)
    public void setUp(Limiters limiters) {
      next = (int) (Thread.currentThread().threadId() * 7919 % limiters.keys);
    }

    String key(Limiters limiters) {
      int i = next + 1;
      if (i >= limiters.keys) {
        i = 0;
      }
      next = i;
      return limiters.names[i];
    }
  }

  @Benchmark
  public boolean sluiceGcra(Limiters limiters, Cursor cursor) {
    return limiters.sluice.decide(cursor.key(limiters), limiters.limits).allowed();
  }

  @Benchmark
  public boolean bucket4jLockFree(Limiters limiters, Cursor cursor) {
    return limiters.lockFree.get(cursor.key(limiters)).tryConsume(1);
  }

  @Benchmark
  public boolean bucket4jSynchronized(Limiters limiters, Cursor cursor) {
    return limiters.synchronizedBuckets.get(cursor.key(limiters)).tryConsume(1);
  }

  @Benchmark
  public boolean resilience4jAtomic(Limiters limiters, Cursor cursor) {
    return limiters.resilience4j.get(cursor.key(limiters)).acquirePermission();
  }

  @Benchmark
  public boolean guava(Limiters limiters, Cursor cursor) {
    return limiters.guava.get(cursor.key(limiters)).tryAcquire();
  }
}
