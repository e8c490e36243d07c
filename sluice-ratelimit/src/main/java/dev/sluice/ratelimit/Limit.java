package dev.sluice.ratelimit;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One rate limit: at most {@code quota} permits per {@code window}, counted by an {@link
 * Algorithm}, with a {@code burst} for the bucket algorithms. A key may carry several limits (for
 * example 20 per second and 10,000 per hour); a decision consumes from all of them or from none.
 *
 * <pre>{@code
 * Limit perSecond = Limit.builder("per-second").quota(20).window(Duration.ofSeconds(1)).build();
 * Limit perHour = Limit.of("per-hour", 10_000, Duration.ofHours(1));
 * }</pre>
 *
 * <p>Every rule is checked once, here: a quota or burst below 1, a window shorter than one
 * millisecond or longer than 366 days, more than one million permits per second, a burst on an
 * algorithm without one, or a sliding log above {@value #MAX_LOG_QUOTA} entries are refused with a
 * {@link RateLimitConfigException} naming the limit, the rule and the value. Limits are immutable
 * and compare by value: a reloaded limit equal to the old one keeps its counters.
 */
public final class Limit {
  /**
   * The largest quota of a {@link Algorithm#SLIDING_LOG} limit, which stores one entry a permit.
   */
  public static final long MAX_LOG_QUOTA = 10_000;

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Duration MIN_WINDOW = Duration.ofMillis(1);
  private static final Duration MAX_WINDOW = Duration.ofDays(366);
  private static final long MAX_WINDOW_NANOS = MAX_WINDOW.toNanos();
  private static final long MIN_INTERVAL_NANOS = 1_000;

  private final String id;
  private final long quota;
  private final Duration window;
  private final long burst;
  private final Algorithm algorithm;
  private final long windowNanos;
  private final long intervalNanos;

  private Limit(Builder builder) {
    this.id = checkId(builder.id);
    this.algorithm = Objects.requireNonNull(builder.algorithm, "algorithm");
    this.quota = builder.quota;
    this.window = builder.window;
    if (quota < 1) {
      throw invalid("quota must be >= 1, was " + quota);
    }
    if (window == null) {
      throw invalid("window must be set");
    }
    if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0) {
      throw invalid("window must be between 1ms and 366d, was " + window);
    }
    this.windowNanos = window.toNanos();
    // rounded up: a limit may be a few nanoseconds stricter than written, never looser
    this.intervalNanos = (windowNanos + quota - 1) / quota;
    if (intervalNanos < MIN_INTERVAL_NANOS) {
      throw invalid(
          "quota must be at most one per microsecond of window ("
              + windowNanos / MIN_INTERVAL_NANOS
              + "), was "
              + quota);
    }
    if (builder.burst == null) {
      this.burst = quota;
    } else if (!algorithm.hasBurst() && builder.burst != quota) {
      throw invalid(
          "burst applies only to token-bucket and gcra, not "
              + algorithm.configName()
              + ", was "
              + builder.burst);
    } else {
      this.burst = builder.burst;
    }
    if (burst < 1) {
      throw invalid("burst must be >= 1, was " + burst);
    }
    if (Math.multiplyHigh(burst, intervalNanos) != 0 || burst * intervalNanos > MAX_WINDOW_NANOS) {
      throw invalid("burst must fill within 366d at this rate, was " + burst);
    }
    if (algorithm == Algorithm.SLIDING_LOG && quota > MAX_LOG_QUOTA) {
      throw invalid("quota of a sliding-log limit must be <= " + MAX_LOG_QUOTA + ", was " + quota);
    }
  }

  private static String checkId(@Nullable String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new RateLimitConfigException(
          "limit.id must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or"
              + " digit, was "
              + (id == null ? "null" : "\"" + id + "\""));
    }
    return id;
  }

  private RateLimitConfigException invalid(String rule) {
    return new RateLimitConfigException("limits[" + id + "]." + rule);
  }

  /**
   * A limit with the default algorithm ({@link Algorithm#GCRA}) and a burst equal to the quota.
   *
   * @param id names the limit in headers and in violated-limit lists
   * @param quota permits per window, at least 1
   * @param window the window length
   * @return the limit
   * @throws RateLimitConfigException if a value breaks a rule
   */
  public static Limit of(String id, long quota, Duration window) {
    return builder(id).quota(quota).window(window).build();
  }

  /**
   * Starts a limit.
   *
   * @param id names the limit in headers and in violated-limit lists
   * @return a builder
   */
  public static Builder builder(@Nullable String id) {
    return new Builder(id);
  }

  /**
   * Starts a builder with every value of this limit, to derive a changed copy.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    Builder builder = new Builder(id).quota(quota).window(window).algorithm(algorithm);
    if (algorithm.hasBurst()) {
      builder.burst(burst);
    }
    return builder;
  }

  /**
   * The limit's name, unique among the limits of one key.
   *
   * @return the id
   */
  public String id() {
    return id;
  }

  /**
   * Permits per window.
   *
   * @return the quota, at least 1
   */
  public long quota() {
    return quota;
  }

  /**
   * The window the quota is counted over.
   *
   * @return the window
   */
  public Duration window() {
    return window;
  }

  /**
   * The window in nanoseconds.
   *
   * @return the window length
   */
  public long windowNanos() {
    return windowNanos;
  }

  /**
   * The most permits a full bucket holds; equals the quota unless set for a bucket algorithm.
   *
   * @return the burst, at least 1
   */
  public long burst() {
    return burst;
  }

  /**
   * How the limit counts.
   *
   * @return the algorithm
   */
  public Algorithm algorithm() {
    return algorithm;
  }

  /**
   * Nanoseconds between two permits at the sustained rate: {@code window / quota}, rounded up.
   *
   * @return the emission interval
   */
  public long intervalNanos() {
    return intervalNanos;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Limit that
        && id.equals(that.id)
        && quota == that.quota
        && windowNanos == that.windowNanos
        && burst == that.burst
        && algorithm == that.algorithm;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, quota, windowNanos, burst, algorithm);
  }

  @Override
  public String toString() {
    return "Limit["
        + id
        + ": "
        + quota
        + " per "
        + window
        + ", burst "
        + burst
        + ", "
        + algorithm.configName()
        + "]";
  }

  /** Collects the values of a {@link Limit}; {@link #build()} validates them all at once. */
  public static final class Builder {
    private final @Nullable String id;
    private long quota;
    private @Nullable Duration window;
    private @Nullable Long burst;
    private Algorithm algorithm = Algorithm.GCRA;

    private Builder(@Nullable String id) {
      this.id = id;
    }

    /**
     * Sets the permits per window.
     *
     * @param quota at least 1 (checked by {@link #build()})
     * @return this builder
     */
    public Builder quota(long quota) {
      this.quota = quota;
      return this;
    }

    /**
     * Sets the window.
     *
     * @param window between 1 ms and 366 days (checked by {@link #build()})
     * @return this builder
     */
    public Builder window(Duration window) {
      this.window = window;
      return this;
    }

    /**
     * Sets the burst of a {@link Algorithm#TOKEN_BUCKET} or {@link Algorithm#GCRA} limit.
     *
     * @param burst at least 1 (checked by {@link #build()})
     * @return this builder
     */
    public Builder burst(long burst) {
      this.burst = burst;
      return this;
    }

    /**
     * Sets the algorithm; {@link Algorithm#GCRA} by default.
     *
     * @param algorithm the algorithm
     * @return this builder
     */
    public Builder algorithm(Algorithm algorithm) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
      return this;
    }

    /**
     * Validates and builds the limit.
     *
     * @return the limit
     * @throws RateLimitConfigException if a value breaks a rule; the message names the limit, the
     *     rule and the value
     */
    public Limit build() {
      return new Limit(this);
    }
  }
}
