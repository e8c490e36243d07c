package dev.sluice.metrics;

import dev.sluice.breaker.CircuitState;
import dev.sluice.redis.RedisDecision;
import dev.sluice.redis.RedisErrorKind;
import dev.sluice.redis.RedisStore;
import dev.sluice.redis.RedisStoreConfig;
import dev.sluice.redis.RedisStoreListener;
import dev.sluice.redis.RedisStoreStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

/**
 * Metrics of a {@link RedisStore}: a {@link RedisStoreListener} to pass to {@link
 * RedisStoreConfig.Builder#listener} (for the duration of each call to Redis), {@link #track} the
 * built store (for its {@link RedisStore#stats()} and {@link RedisStore#breakerState()}, read at
 * each scrape), and bind it to one registry (a composite registry to export to several).
 *
 * <pre>{@code
 * RedisStoreMetrics metrics = new RedisStoreMetrics("shared");
 * RedisStore store = RedisStore.create(RedisStoreConfig.builder()
 *     .standalone("redis.internal:6379")
 *     .listener(metrics)
 *     .build());
 * metrics.track(store).bindTo(registry);
 * }</pre>
 *
 * <p>Meters (see {@code docs/metrics.md}), tagged with the store's name: {@code
 * sluice.redis.decisions} by origin ({@code redis}, {@code over_limit_cache}, {@code fail_open},
 * {@code fail_closed}, {@code fallback}), {@code sluice.redis.retries}, {@code
 * sluice.redis.failures}, {@code sluice.redis.errors} by kind, {@code sluice.redis.script.reloads},
 * {@code sluice.redis.breaker.state} (1 for the current state), {@code
 * sluice.redis.breaker.transitions} by the state entered, and {@code sluice.redis.command.duration}
 * by outcome. The timer is fed only while this binder is a listener of the store, from {@link
 * #bindTo} on; the counters hold everything since the store was created.
 */
public final class RedisStoreMetrics implements MeterBinder, RedisStoreListener {
  // track and bindTo may come from two threads in either order; the lock orders them
  private final ReentrantLock wiring = new ReentrantLock();

  private static final Duration[] BUCKETS = {
    Duration.ofNanos(100_000),
    Duration.ofNanos(250_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofNanos(2_500_000),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1)
  };

  private final String name;
  private RedisStore store;
  private MeterRegistry registry;
  private volatile Timers timers;

  /**
   * A binder for one store, to pass to its configuration as a listener and then {@link #track}.
   *
   * @param name the value of the {@code store} tag
   * @throws IllegalArgumentException if the name is blank
   */
  public RedisStoreMetrics(String name) {
    this.name = TagValues.requireName("redis.metrics.name", name);
  }

  /**
   * A binder tracking a store already built. Unless the binder is also one of the store's listeners
   * (it cannot be, built this way), {@code sluice.redis.command.duration} stays empty.
   *
   * @param store the store
   * @param name the value of the {@code store} tag
   * @throws IllegalArgumentException if the name is blank
   */
  public RedisStoreMetrics(RedisStore store, String name) {
    this(name);
    track(store);
  }

  /**
   * Sets the store whose counts and breaker state are exported; registered at once if the binder is
   * bound already.
   *
   * @param store the store, built with this binder as a listener
   * @return this binder
   * @throws IllegalStateException if the binder tracks a store already
   */
  public RedisStoreMetrics track(RedisStore store) {
    Objects.requireNonNull(store, "store");
    wiring.lock();
    try {
      if (this.store != null) {
        throw new IllegalStateException(
            "redis metrics " + name + " already track the store " + this.store.config());
      }
      this.store = store;
      if (registry != null) {
        registerStats(registry, store);
      }
    } finally {
      wiring.unlock();
    }
    return this;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    wiring.lock();
    try {
      if (this.registry != null) {
        throw new IllegalStateException(
            "redis metrics " + name + " are already bound to a registry");
      }
      this.registry = registry;
      if (store != null) {
        registerStats(registry, store);
      }
      timers = new Timers(timer(registry, "success"), timer(registry, "failure"));
    } finally {
      wiring.unlock();
    }
  }

  @Override
  public void onCommand(long nanos, boolean succeeded) {
    Timers t = timers;
    if (t != null) {
      (succeeded ? t.success : t.failure).record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** The command timers, by outcome. */
  private record Timers(Timer success, Timer failure) {}

  private Timer timer(MeterRegistry registry, String outcome) {
    return Timer.builder("sluice.redis.command.duration")
        .description("Time of one call of the decision script on Redis, by outcome")
        .tags("store", name, "outcome", outcome)
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  private void registerStats(MeterRegistry registry, RedisStore store) {
    origin(registry, store, RedisDecision.Origin.REDIS, RedisStoreStats::redis);
    origin(registry, store, RedisDecision.Origin.OVER_LIMIT_CACHE, RedisStoreStats::overLimitCache);
    origin(registry, store, RedisDecision.Origin.FAIL_OPEN, RedisStoreStats::failOpen);
    origin(registry, store, RedisDecision.Origin.FAIL_CLOSED, RedisStoreStats::failClosed);
    origin(registry, store, RedisDecision.Origin.FALLBACK, RedisStoreStats::fallback);
    FunctionCounter.builder("sluice.redis.retries", store, s -> s.stats().retries())
        .description("Script calls sent again after a transient error")
        .tag("store", name)
        .register(registry);
    FunctionCounter.builder("sluice.redis.failures", store, s -> s.stats().failures())
        .description("Decisions on which Redis failed after retries, or the breaker refused")
        .tag("store", name)
        .register(registry);
    for (RedisErrorKind kind : RedisErrorKind.values()) {
      FunctionCounter.builder("sluice.redis.errors", store, s -> s.stats().errors(kind))
          .description("Failed calls of the decision script, by kind; each retried attempt counts")
          .tags("store", name, "kind", TagValues.of(kind))
          .register(registry);
    }
    FunctionCounter.builder("sluice.redis.script.reloads", store, s -> s.stats().scriptReloads())
        .description("Calls on which Redis did not know the script and it was sent again")
        .tag("store", name)
        .register(registry);
    for (CircuitState state : CircuitState.values()) {
      Gauge.builder("sluice.redis.breaker.state", store, s -> s.breakerState() == state ? 1 : 0)
          .description("1 for the state of the breaker around Redis, 0 for the others")
          .tags("store", name, "state", TagValues.of(state))
          .strongReference(true)
          .register(registry);
      FunctionCounter.builder(
              "sluice.redis.breaker.transitions", store, s -> s.stats().breakerTransitions(state))
          .description("Transitions of the breaker around Redis, by the state entered")
          .tags("store", name, "to", TagValues.of(state))
          .register(registry);
    }
  }

  private void origin(
      MeterRegistry registry,
      RedisStore store,
      RedisDecision.Origin origin,
      ToLongFunction<RedisStoreStats> count) {
    FunctionCounter.builder("sluice.redis.decisions", store, s -> count.applyAsLong(s.stats()))
        .description("Decisions of the Redis store, by who made them")
        .tags("store", name, "origin", TagValues.of(origin))
        .register(registry);
  }
}
