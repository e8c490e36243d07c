package dev.sluice.bench.throttle;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.sluice.throttle.Permit;
import dev.sluice.throttle.Throttle;
import dev.sluice.throttle.ThrottleConfig;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The cost of one acquire and release of a concurrency permit, uncontended (1 thread) and with 2
 * threads on the same limiter: Sluice's {@link Throttle} (no pacing, no budget: the permit path
 * alone, including its success bookkeeping) against {@link Semaphore}, Resilience4j's {@link
 * Bulkhead} and concurrency-limits' {@link SimpleLimiter}. Limits are high enough that no call ever
 * waits.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AcquireReleaseBenchmark {
  private static final int LIMIT = 1024;

  private Throttle throttle;
  private Semaphore semaphore;
  private Bulkhead bulkhead;
  private SimpleLimiter<Void> limiter;

  @Setup
  public void setUp() {
    throttle =
        Throttle.create(
            ThrottleConfig.builder()
                .maxConcurrency(LIMIT)
                .initialRate(0)
                .jitterFraction(0)
                .build());
    semaphore = new Semaphore(LIMIT);
    bulkhead =
        Bulkhead.of(
            "bench",
            BulkheadConfig.custom()
                .maxConcurrentCalls(LIMIT)
                .maxWaitDuration(Duration.ZERO)
                .build());
    limiter = SimpleLimiter.newBuilder().limit(FixedLimit.of(LIMIT)).build();
  }

  private Object sluice() throws InterruptedException {
    Permit permit = throttle.acquire();
    permit.recordSuccess();
    permit.close();
    return permit;
  }

  private boolean semaphore() throws InterruptedException {
    semaphore.acquire();
    semaphore.release();
    return true;
  }

  private boolean bulkhead() {
    boolean got = bulkhead.tryAcquirePermission();
    bulkhead.onComplete();
    return got;
  }

  private Object limiter() {
    Optional<Limiter.Listener> listener = limiter.acquire(null);
    listener.get().onSuccess();
    return listener;
  }

  @Benchmark
  @Threads(1)
  public Object sluiceThrottle1Thread() throws InterruptedException {
    return sluice();
  }

  @Benchmark
  @Threads(1)
  public boolean semaphore1Thread() throws InterruptedException {
    return semaphore();
  }

  @Benchmark
  @Threads(1)
  public boolean resilience4jBulkhead1Thread() {
    return bulkhead();
  }

  @Benchmark
  @Threads(1)
  public Object concurrencyLimitsSimpleLimiter1Thread() {
    return limiter();
  }

  @Benchmark
  @Threads(2)
  public Object sluiceThrottle2Threads() throws InterruptedException {
    return sluice();
  }

  @Benchmark
  @Threads(2)
  public boolean semaphore2Threads() throws InterruptedException {
    return semaphore();
  }

  @Benchmark
  @Threads(2)
  public boolean resilience4jBulkhead2Threads() {
    return bulkhead();
  }

  @Benchmark
  @Threads(2)
  public Object concurrencyLimitsSimpleLimiter2Threads() {
    return limiter();
  }
}
