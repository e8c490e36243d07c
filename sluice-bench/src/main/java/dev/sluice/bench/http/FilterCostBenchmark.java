package dev.sluice.bench.http;

import dev.sluice.http.HttpOutcome;
import dev.sluice.http.HttpRateLimiter;
import dev.sluice.http.HttpRequestView;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.policy.Policy;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a rate-limit filter adds to one allowed request, without a container: Sluice's decision path
 * (client identity from the peer address, policy, GCRA on the in-memory store, both header
 * dialects) over a minimal request view, next to Bucket4j's servlet-filter pattern (a bucket per
 * client address in a map, {@code tryConsumeAndReturnRemaining(1)}, one remaining header). The
 * subclasses fix the thread count.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class FilterCostBenchmark {
  private static final long RATE = 1_000_000;
  private static final long BURST = 10_000_000_000L;

  /** Shared by the threads of a run. */
  @State(Scope.Benchmark)
  public static class Filters {
    HttpRateLimiter sluice;
    HttpRequestView request;
    final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Setup(Level.Trial)
    public void setUp() {
      Limit limit =
          Limit.builder("per-second")
              .quota(RATE)
              .window(Duration.ofSeconds(1))
              .burst(BURST)
              .build();
      sluice = HttpRateLimiter.builder(Policy.builder().defaults(List.of(limit)).build()).build();
      request = HttpRequestView.of("GET", "/api/items", "192.0.2.7", Map.of());
    }

    Bucket newBucket(String ignored) {
      return Bucket.builder()
          .addLimit(l -> l.capacity(BURST).refillGreedy(RATE, Duration.ofSeconds(1)))
          .withNanosecondPrecision()
          .build();
    }
  }

  /** Sluice: decide, then hand every header to the response (here, the black hole). */
  @Benchmark
  public void sluiceFilterCore(Filters f, Blackhole sink) {
    HttpOutcome outcome = f.sluice.decide(f.request);
    outcome.forEachHeader(
        (name, value) -> {
          sink.consume(name);
          sink.consume(value);
        });
    sink.consume(outcome.proceed());
  }

  /** Bucket4j's servlet-filter pattern over the same request view. */
  @Benchmark
  public void bucket4jFilterPattern(Filters f, Blackhole sink) {
    Bucket bucket = f.buckets.computeIfAbsent(f.request.peerAddress(), f::newBucket);
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      sink.consume("X-Rate-Limit-Remaining");
      sink.consume(Long.toString(probe.getRemainingTokens()));
    } else {
      sink.consume("X-Rate-Limit-Retry-After-Seconds");
      sink.consume(Long.toString(TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill())));
    }
  }
}
