package dev.sluice.bench.http;

import dev.sluice.http.ClientIdentity;
import dev.sluice.http.HeaderDialect;
import dev.sluice.http.HttpRateLimiter;
import dev.sluice.http.HttpRequestView;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.policy.Policy;
import dev.sluice.ratelimit.policy.PolicyEnforcer;
import dev.sluice.ratelimit.policy.Request;
import dev.sluice.ratelimit.store.MemoryStore;
import dev.sluice.time.EpochClock;
import dev.sluice.time.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Where the time of {@link FilterCostBenchmark}'s Sluice row goes, one layer at a time, on one
 * thread: the clock, the client identity, the store at a fixed time, the limiter (store and clock),
 * the policy, and the HTTP decision without and with both header dialects. Each row includes the
 * ones it is built on, so the differences are the costs of the layers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FilterPartsBenchmark {
  private static final String KEY = "~defaults|ip:192.0.2.7";

  private List<Limit> limits;
  private MemoryStore store;
  private RateLimiter limiter;
  private PolicyEnforcer enforcer;
  private HttpRateLimiter withoutHeaders;
  private HttpRateLimiter withHeaders;
  private HttpRequestView view;
  private final ClientIdentity identity = ClientIdentity.socketPeer();
  private final EpochClock clock = EpochClock.of(TimeSource.system());
  private long fixedTime = 1;

  /** The same limit and request as {@link FilterCostBenchmark}. */
  @Setup
  public void setUp() {
    Limit limit =
        Limit.builder("per-second")
            .quota(1_000_000)
            .window(Duration.ofSeconds(1))
            .burst(10_000_000_000L)
            .build();
    limits = List.of(limit);
    store = MemoryStore.create();
    limiter = RateLimiter.builder().build();
    Policy policy = Policy.builder().defaults(limits).build();
    enforcer = PolicyEnforcer.create(policy, RateLimiter.builder().build());
    withoutHeaders = HttpRateLimiter.builder(policy).dialect(HeaderDialect.NONE).build();
    withHeaders = HttpRateLimiter.builder(policy).build();
    view = HttpRequestView.of("GET", "/api/items", "192.0.2.7", Map.of());
  }

  /** One reading of the UTC clock the limiter decides on. */
  @Benchmark
  public long clock() {
    return clock.epochNanos();
  }

  /** The client address from the socket peer. */
  @Benchmark
  public String identity() {
    return identity.clientAddress(view);
  }

  /** GCRA on the in-memory store, at a time handed in (100 ns later each call). */
  @Benchmark
  public Object store() {
    fixedTime += 100;
    return store.decide(KEY, limits, 1, fixedTime);
  }

  /** The store at the clock's time. */
  @Benchmark
  public Object limiter() {
    return limiter.decide(KEY, limits);
  }

  /** The policy (tier, rule, key) over the limiter. */
  @Benchmark
  public Object policy() {
    return enforcer.evaluate(Request.anonymous("GET", "/api/items", "192.0.2.7"));
  }

  /** The HTTP decision (identity, policy, outcome) with no rate-limit headers. */
  @Benchmark
  public Object httpWithoutHeaders() {
    return withoutHeaders.decide(view);
  }

  /** The HTTP decision with both dialects, every header handed to the sink. */
  @Benchmark
  public void httpWithHeaders(Blackhole sink) {
    withHeaders
        .decide(view)
        .forEachHeader(
            (name, value) -> {
              sink.consume(name);
              sink.consume(value);
            });
  }
}
