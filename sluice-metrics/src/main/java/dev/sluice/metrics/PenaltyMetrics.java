package dev.sluice.metrics;

import dev.sluice.ratelimit.policy.PenaltyStats;
import dev.sluice.ratelimit.policy.PolicyEnforcer;
import dev.sluice.time.TimeSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Progressive penalties of a {@link PolicyEnforcer}: clients serving a penalty now and penalties
 * started, by level ({@code 1} to {@code 4}, {@code 5+}), and the clients whose record is kept.
 * Read from {@link PolicyEnforcer#penaltyStats()}, which passes once over the clients tracked; the
 * figures are cached for a second (on the enforcer's time source), so a scrape of every meter costs
 * one pass however often it comes.
 *
 * <pre>{@code
 * new PenaltyMetrics(httpRateLimiter.enforcer(), "public-api").bindTo(registry);
 * }</pre>
 */
public final class PenaltyMetrics implements MeterBinder {
  private static final long CACHE_NANOS = Duration.ofSeconds(1).toNanos();

  private final PolicyEnforcer enforcer;
  private final String policy;
  private final TimeSource time;
  private final ReentrantLock refreshing = new ReentrantLock();
  private volatile Snapshot snapshot;

  private record Snapshot(PenaltyStats stats, long atNanos) {}

  /**
   * Observes one enforcer.
   *
   * @param enforcer the enforcer, for example {@code HttpRateLimiter.enforcer()}
   * @param policy the value of the {@code policy} tag, as given to {@link RateLimitMetrics}
   * @throws IllegalArgumentException if the name is blank
   */
  public PenaltyMetrics(PolicyEnforcer enforcer, String policy) {
    this.enforcer = Objects.requireNonNull(enforcer, "enforcer");
    this.policy = TagValues.requireName("ratelimit.metrics.policy", policy);
    this.time = enforcer.timeSource();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (int level = 1; level <= RateLimitMetrics.LEVELS; level++) {
      int at = level;
      String tag = level == RateLimitMetrics.LEVELS ? level + "+" : Integer.toString(level);
      Gauge.builder(
              "sluice.ratelimit.penalties.active", this, m -> m.byLevel(at, PenaltyStats::active))
          .description("Clients serving a progressive penalty now, by level")
          .tags("policy", policy, "level", tag)
          .strongReference(true)
          .register(registry);
      FunctionCounter.builder(
              "sluice.ratelimit.penalties.started", this, m -> m.byLevel(at, PenaltyStats::started))
          .description("Progressive penalties started, by level")
          .tags("policy", policy, "level", tag)
          .register(registry);
    }
    Gauge.builder("sluice.ratelimit.penalties.tracked", this, m -> m.current().tracked())
        .description("Clients whose violations or penalty level are remembered")
        .tag("policy", policy)
        .strongReference(true)
        .register(registry);
  }

  /** One level's figure; the last tagged level sums it and every level above. */
  private double byLevel(int level, LevelFigure figure) {
    PenaltyStats stats = current();
    if (level < RateLimitMetrics.LEVELS) {
      return figure.at(stats, level);
    }
    long sum = 0;
    for (int l = level; l <= PenaltyStats.MAX_LEVEL; l++) {
      sum += figure.at(stats, l);
    }
    return sum;
  }

  private interface LevelFigure {
    long at(PenaltyStats stats, int level);
  }

  /** The cached figures, taken again when older than a second. */
  PenaltyStats current() {
    Snapshot now = snapshot;
    long at = time.nanoTime();
    if ((now == null || at - now.atNanos >= CACHE_NANOS) && refreshing.tryLock()) {
      try {
        now = new Snapshot(enforcer.penaltyStats(), at);
        snapshot = now;
      } finally {
        refreshing.unlock();
      }
    }
    if (now == null) {
      // another scrape is taking the first figures; read them directly rather than wait
      return enforcer.penaltyStats();
    }
    return now.stats;
  }
}
