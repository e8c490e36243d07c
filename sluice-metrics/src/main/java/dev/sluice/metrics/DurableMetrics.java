package dev.sluice.metrics;

import dev.sluice.durable.Durable;
import dev.sluice.durable.ExecutionState;
import dev.sluice.time.TimeSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executions by state and dead letters of a {@link Durable} engine, from the store's count queries.
 * The counts are cached: a scrape runs the two queries only when the last ones are older than the
 * cache period (5 seconds by default, on the engine's time source), so any number of scrapes costs
 * at most two queries per period. One scrape refreshes while concurrent ones read the previous
 * figures; a failed query keeps them too (and is logged once).
 *
 * <pre>{@code
 * DurableMetrics.builder(durable).cacheFor(Duration.ofSeconds(5)).build().bindTo(registry);
 * }</pre>
 *
 * <p>Meters: {@code sluice.durable.executions} by state, {@code sluice.durable.dead.letters}.
 */
public final class DurableMetrics implements MeterBinder {
  /** The cache period used unless another is set. */
  public static final Duration DEFAULT_CACHE = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(DurableMetrics.class);

  private final Durable durable;
  private final TimeSource time;
  private final long cacheNanos;
  private final ReentrantLock refreshing = new ReentrantLock();
  private final AtomicBoolean failureLogged = new AtomicBoolean();
  private volatile Counts counts;

  private DurableMetrics(Builder b) {
    this.durable = b.durable;
    this.time = durable.timeSource();
    this.cacheNanos = b.cache.toNanos();
  }

  /**
   * Starts a binder for one engine.
   *
   * @param durable the engine
   * @return a builder
   */
  public static Builder builder(Durable durable) {
    return new Builder(Objects.requireNonNull(durable, "durable"));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (ExecutionState state : ExecutionState.values()) {
      Gauge.builder("sluice.durable.executions", this, m -> m.current().byState.get(state))
          .description("Executions in each state (cached count query)")
          .tag("state", state.storedName())
          .strongReference(true)
          .register(registry);
    }
    Gauge.builder("sluice.durable.dead.letters", this, m -> m.current().deadLetters)
        .description("Executions that failed for good and wait to be replayed or discarded")
        .strongReference(true)
        .register(registry);
  }

  /** The cached counts, refreshed first when older than the cache period. */
  Counts current() {
    Counts now = counts;
    long at = time.nanoTime();
    if ((now == null || at - now.atNanos >= cacheNanos) && refreshing.tryLock()) {
      try {
        now = counts;
        if (now == null || at - now.atNanos >= cacheNanos) {
          now = query(at, now);
          counts = now;
        }
      } finally {
        refreshing.unlock();
      }
    }
    return now == null ? Counts.EMPTY : now;
  }

  private Counts query(long at, Counts previous) {
    try {
      Map<ExecutionState, Long> raw = durable.operator().counts();
      Map<ExecutionState, Double> byState = new EnumMap<>(ExecutionState.class);
      for (ExecutionState state : ExecutionState.values()) {
        byState.put(state, (double) raw.getOrDefault(state, 0L));
      }
      return new Counts(byState, durable.operator().deadLetterCount(), at);
    } catch (RuntimeException e) {
      if (failureLogged.compareAndSet(false, true)) {
        LOG.warn("durable count queries failed; the gauges keep their last figures", e);
      }
      Counts kept = previous == null ? Counts.EMPTY : previous;
      return new Counts(kept.byState, kept.deadLetters, at);
    }
  }

  /** One reading of the count queries. */
  record Counts(Map<ExecutionState, Double> byState, double deadLetters, long atNanos) {
    static final Counts EMPTY = empty();

    private static Counts empty() {
      Map<ExecutionState, Double> zero = new EnumMap<>(ExecutionState.class);
      for (ExecutionState state : ExecutionState.values()) {
        zero.put(state, Double.NaN);
      }
      return new Counts(zero, Double.NaN, Long.MIN_VALUE);
    }
  }

  /** Collects the settings of a {@link DurableMetrics}. */
  public static final class Builder {
    private final Durable durable;
    private Duration cache = DEFAULT_CACHE;

    private Builder(Durable durable) {
      this.durable = durable;
    }

    /**
     * Sets how long the counts are reused before the queries run again.
     *
     * @param period at least one millisecond
     * @return this builder
     * @throws IllegalArgumentException if the period is shorter than one millisecond
     */
    public Builder cacheFor(Duration period) {
      Objects.requireNonNull(period, "durable.metrics.cache");
      if (period.compareTo(Duration.ofMillis(1)) < 0) {
        throw new IllegalArgumentException(
            "durable.metrics.cache must be at least 1ms, was " + period);
      }
      this.cache = period;
      return this;
    }

    /**
     * Builds.
     *
     * @return the binder
     */
    public DurableMetrics build() {
      return new DurableMetrics(this);
    }
  }
}
