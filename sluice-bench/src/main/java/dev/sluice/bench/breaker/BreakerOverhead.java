package dev.sluice.bench.breaker;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.breaker.CircuitPermit;
import dev.sluice.breaker.WindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Overhead of protecting a call with a circuit breaker, closed state, success path: Sluice,
 * Resilience4j and Failsafe side by side, each through its decorator and through its permit API.
 * One breaker is shared by all benchmark threads, as in a service. The protected call returns a
 * field, so the figures are the breakers' own cost. Subclasses fix the thread count.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public abstract class BreakerOverhead {
  private final Integer value = 42;
  private final Supplier<Integer> call = () -> value;

  /** Sluice with its default trip rule (consecutive failures). */
  private final dev.sluice.breaker.CircuitBreaker sluice =
      dev.sluice.breaker.CircuitBreaker.builder().name("bench").build();

  /** Sluice with a failure-rate window of 100 calls, like Resilience4j's default. */
  private final dev.sluice.breaker.CircuitBreaker sluiceRate =
      dev.sluice.breaker.CircuitBreaker.builder()
          .name("bench-rate")
          .config(
              CircuitBreakerConfig.builder()
                  .consecutiveFailures(0)
                  .failureRate(50, WindowType.COUNT_BASED, 100, 100)
                  .build())
          .build();

  private final CircuitBreaker resilience4j =
      CircuitBreaker.of(
          "bench",
          io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
              .slidingWindow(100, 100, SlidingWindowType.COUNT_BASED)
              .build());

  private final dev.failsafe.CircuitBreaker<Object> failsafeBreaker =
      dev.failsafe.CircuitBreaker.ofDefaults();
  private final FailsafeExecutor<Object> failsafe = Failsafe.with(failsafeBreaker);

  @Benchmark
  public Integer baseline() {
    return call.get();
  }

  @Benchmark
  public Integer sluiceDecorated() {
    return sluice.get(call);
  }

  @Benchmark
  public Integer sluiceRateWindowDecorated() {
    return sluiceRate.get(call);
  }

  @Benchmark
  public Integer sluicePermit() {
    CircuitPermit permit = sluice.acquire();
    Integer result = call.get();
    permit.recordSuccess();
    return result;
  }

  @Benchmark
  public Integer resilience4jDecorated() {
    return resilience4j.executeSupplier(call);
  }

  @Benchmark
  public Integer resilience4jPermit() {
    resilience4j.acquirePermission();
    long start = resilience4j.getCurrentTimestamp();
    Integer result = call.get();
    resilience4j.onSuccess(
        resilience4j.getCurrentTimestamp() - start, resilience4j.getTimestampUnit());
    return result;
  }

  @Benchmark
  public Object failsafeDecorated() {
    return failsafe.get(call::get);
  }

  @Benchmark
  public Integer failsafePermit() {
    if (!failsafeBreaker.tryAcquirePermit()) {
      throw new IllegalStateException("open");
    }
    Integer result = call.get();
    failsafeBreaker.recordSuccess();
    return result;
  }
}
