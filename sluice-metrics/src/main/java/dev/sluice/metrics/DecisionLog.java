package dev.sluice.metrics;

import dev.sluice.http.DecisionEvent;
import dev.sluice.http.DecisionListener;
import dev.sluice.ratelimit.policy.Outcome;
import dev.sluice.time.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A structured log of rate-limit decisions through SLF4J: one event per refused request and one per
 * {@code n} allowed ones, each with key-value pairs any backend can render (JSON with Logback's or
 * Log4j's encoders): {@code client_id}, {@code method}, {@code endpoint}, {@code outcome}, {@code
 * rule}, {@code tier}, {@code limit}, {@code quota}, {@code current_count}, {@code remaining},
 * {@code retry_after_seconds}, {@code penalty_level}.
 *
 * <p>At most {@code maxEvents} events are written per period (100 per second by default, on the
 * given time source); the rest are dropped and counted, and the first event written after a period
 * that dropped some is preceded by a summary line with {@code dropped} and {@code period_seconds}.
 * A flood of 429s therefore cannot flood the log.
 *
 * <pre>{@code
 * DecisionLog log = DecisionLog.builder().timeSource(time).allowedSampling(1000).build();
 * HttpRateLimiter limiter = HttpRateLimiter.builder(policy).listener(log).build();
 * }</pre>
 */
public final class DecisionLog implements DecisionListener {
  /** The logger name used unless another logger is set. */
  public static final String LOGGER_NAME = "dev.sluice.decisions";

  private final Logger log;
  private final TimeSource time;
  private final long allowedEvery;
  private final long maxEvents;
  private final long periodNanos;
  private final AtomicLong allowedSeen = new AtomicLong();
  private final ReentrantLock budgetLock = new ReentrantLock();
  private long periodStart = Long.MIN_VALUE;
  private long written;
  private long dropped;

  private DecisionLog(Builder b) {
    this.log = b.logger;
    this.time = b.time;
    this.allowedEvery = b.allowedEvery;
    this.maxEvents = b.maxEvents;
    this.periodNanos = b.period.toNanos();
  }

  /**
   * Starts a log with 100 events per second, no allowed request logged, on the system time.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void onDecision(DecisionEvent event) {
    boolean refused = event.outcome().blocked();
    if (!refused) {
      if (allowedEvery == 0 || event.outcome() != Outcome.ALLOWED) {
        return;
      }
      if (allowedSeen.incrementAndGet() % allowedEvery != 0) {
        return;
      }
    }
    long droppedBefore = admit();
    if (droppedBefore < 0) {
      return;
    }
    if (droppedBefore > 0) {
      log.atWarn()
          .addKeyValue("dropped", droppedBefore)
          .addKeyValue("period_seconds", periodNanos / 1e9)
          .log("rate-limit decision log dropped events over its budget");
    }
    LoggingEventBuilder b = log.atInfo();
    b.addKeyValue("client_id", event.identity())
        .addKeyValue("method", event.method())
        .addKeyValue("endpoint", event.path())
        .addKeyValue("outcome", TagValues.of(event.outcome()));
    // absent rather than "null": a request that matched no rule, or a tierless policy
    if (event.ruleId() != null) {
      b.addKeyValue("rule", event.ruleId());
    }
    if (event.tier() != null) {
      b.addKeyValue("tier", event.tier());
    }
    if (event.limitId() != null) {
      b.addKeyValue("limit", event.limitId());
    }
    b.addKeyValue("quota", event.quota())
        .addKeyValue("current_count", currentCount(event))
        .addKeyValue("remaining", event.remaining())
        .addKeyValue("retry_after_seconds", retryAfterSeconds(event.retryAfterNanos()))
        .addKeyValue("penalty_level", event.penaltyLevel())
        .log(refused ? "request refused by rate limit" : "request allowed (sampled)");
  }

  /**
   * Takes one event from the budget.
   *
   * @return -1 when over budget (dropped), else the events dropped in earlier periods not yet
   *     summarized
   */
  private long admit() {
    long now = time.nanoTime();
    budgetLock.lock();
    try {
      long summary = 0;
      if (periodStart == Long.MIN_VALUE || now - periodStart >= periodNanos) {
        periodStart = now;
        written = 0;
      }
      if (written >= maxEvents) {
        dropped++;
        return -1;
      }
      written++;
      if (dropped > 0 && written == 1) {
        summary = dropped;
        dropped = 0;
      }
      return summary;
    } finally {
      budgetLock.unlock();
    }
  }

  private static long currentCount(DecisionEvent event) {
    return event.quota() < 0 || event.remaining() < 0 ? -1 : event.quota() - event.remaining();
  }

  private static long retryAfterSeconds(long nanos) {
    if (nanos <= 0) {
      return 0;
    }
    long seconds = nanos / 1_000_000_000L;
    return nanos % 1_000_000_000L == 0 ? seconds : seconds + 1;
  }

  /** Collects the settings of a {@link DecisionLog}. */
  public static final class Builder {
    private Logger logger = LoggerFactory.getLogger(LOGGER_NAME);
    private TimeSource time = TimeSource.system();
    private long allowedEvery;
    private long maxEvents = 100;
    private Duration period = Duration.ofSeconds(1);

    private Builder() {}

    /**
     * Sets the logger; {@value #LOGGER_NAME} by default.
     *
     * @param logger the logger
     * @return this builder
     */
    public Builder logger(Logger logger) {
      this.logger = Objects.requireNonNull(logger, "decision-log.logger");
      return this;
    }

    /**
     * Sets the time source of the budget periods; the system's by default.
     *
     * @param time the time source
     * @return this builder
     */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "decision-log.time-source");
      return this;
    }

    /**
     * Logs one allowed request in {@code every}; 0 (none) by default.
     *
     * @param every 0 for none, 1 for all, {@code n} for one in {@code n}
     * @return this builder
     * @throws IllegalArgumentException if {@code every} is negative
     */
    public Builder allowedSampling(long every) {
      if (every < 0) {
        throw new IllegalArgumentException(
            "decision-log.allowed-sampling must be >= 0, was " + every);
      }
      this.allowedEvery = every;
      return this;
    }

    /**
     * Sets the budget: at most {@code events} per {@code period}, the rest dropped and counted.
     *
     * @param events at least 1
     * @param period at least one millisecond
     * @return this builder
     * @throws IllegalArgumentException if either is out of range
     */
    public Builder budget(long events, Duration period) {
      Objects.requireNonNull(period, "decision-log.budget-period");
      if (events < 1) {
        throw new IllegalArgumentException(
            "decision-log.budget-events must be >= 1, was " + events);
      }
      if (period.compareTo(Duration.ofMillis(1)) < 0) {
        throw new IllegalArgumentException(
            "decision-log.budget-period must be at least 1ms, was " + period);
      }
      this.maxEvents = events;
      this.period = period;
      return this;
    }

    /**
     * Builds.
     *
     * @return the log, to pass to a limiter as its listener
     */
    public DecisionLog build() {
      return new DecisionLog(this);
    }
  }
}
