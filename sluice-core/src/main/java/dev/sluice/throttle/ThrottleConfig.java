package dev.sluice.throttle;

import dev.sluice.ConfigException;
import dev.sluice.breaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The immutable settings of a {@link Throttle}, validated once at construction.
 *
 * <p>Build one in code with {@link #builder()}, from a flat map of kebab-case keys with {@link
 * #fromMap}, or from environment variables with {@link #fromEnv}; all three end in the canonical
 * constructor, so the same rules apply everywhere and every error names the key, the rule and the
 * value ({@code throttle.max-concurrency must be >= 1, was 0}).
 *
 * @param maxConcurrency the most calls in flight at once; at least 1
 * @param initialConcurrency the concurrency to start at, between 1 and {@code maxConcurrency}; once
 *     a round trip is known, the concurrency follows the rate (what the rate needs over twice the
 *     round trip, plus one)
 * @param initialRate the dispatch rate to start at, in calls per second, from which a slow start
 *     doubles it until the first failure or the first header stating the server's rate; {@code 0}
 *     starts unpaced at {@code initialConcurrency} (no slow start)
 * @param minDispatchInterval the floor of the spacing between two dispatches; zero means pacing is
 *     off until a slow-down or a server signal asks for it
 * @param maxDispatchInterval the cap of the spacing when slow-downs double it
 * @param jitterFraction random delay added inside each dispatch slot, as a fraction of the
 *     interval, in [0, 1]; spreads callers that would otherwise fire in lock step
 * @param failureThreshold failures within {@code failureWindow} that trigger a slow-down
 * @param failureWindow the window in which failures are counted
 * @param coolingPeriod how long the throttle holds its rate after a slow-down (at least two round
 *     trips) before it climbs back and probes upward again
 * @param safeCeilingDecay how long without a failure before the throttle forgets the highest rate
 *     it has seen accepted (its safe ceiling) and probes upward at full pace
 * @param tokenBudget an optional rolling token budget, or {@code null}
 * @param circuitBreaker an optional circuit breaker inside the throttle, or {@code null}; while it
 *     is open, acquires fail fast with {@link dev.sluice.breaker.CircuitOpenException} and the
 *     state is {@link ThrottleState#CIRCUIT_OPEN}
 * @param totalTasks the number of tasks expected, for progress and ETA; 0 means unknown
 * @param failurePredicate decides which exceptions count as failures for slowing down; the others
 *     are recorded as ignored
 */
public record ThrottleConfig(
    int maxConcurrency,
    int initialConcurrency,
    double initialRate,
    Duration minDispatchInterval,
    Duration maxDispatchInterval,
    double jitterFraction,
    int failureThreshold,
    Duration failureWindow,
    Duration coolingPeriod,
    Duration safeCeilingDecay,
    @Nullable TokenBudget tokenBudget,
    @Nullable CircuitBreakerConfig circuitBreaker,
    long totalTasks,
    Predicate<Throwable> failurePredicate) {

  /** Default {@link #maxConcurrency}. */
  public static final int DEFAULT_MAX_CONCURRENCY = 16;

  /** Default {@link #initialRate}, calls per second. */
  public static final double DEFAULT_INITIAL_RATE = 2.0;

  /**
   * Validates every setting.
   *
   * @throws ConfigException naming the key, the rule and the value of the first setting that breaks
   *     a rule
   */
  public ThrottleConfig {
    Objects.requireNonNull(minDispatchInterval, "throttle.min-dispatch-interval");
    Objects.requireNonNull(maxDispatchInterval, "throttle.max-dispatch-interval");
    Objects.requireNonNull(failureWindow, "throttle.failure-window");
    Objects.requireNonNull(coolingPeriod, "throttle.cooling-period");
    Objects.requireNonNull(safeCeilingDecay, "throttle.safe-ceiling-decay");
    Objects.requireNonNull(failurePredicate, "throttle.failure-predicate");
    atLeast("max-concurrency", maxConcurrency, 1);
    if (initialConcurrency < 1 || initialConcurrency > maxConcurrency) {
      throw new ConfigException(
          "throttle.initial-concurrency must be between 1 and max-concurrency ("
              + maxConcurrency
              + "), was "
              + initialConcurrency);
    }
    if (!(initialRate >= 0 && Double.isFinite(initialRate))) {
      throw new ConfigException(
          "throttle.initial-rate must be a finite number >= 0, was " + initialRate);
    }
    notNegative("min-dispatch-interval", minDispatchInterval);
    if (maxDispatchInterval.compareTo(minDispatchInterval) < 0) {
      throw new ConfigException(
          "throttle.max-dispatch-interval must be >= min-dispatch-interval ("
              + minDispatchInterval
              + "), was "
              + maxDispatchInterval);
    }
    if (!(jitterFraction >= 0.0 && jitterFraction <= 1.0)) {
      throw new ConfigException(
          "throttle.jitter-fraction must be between 0.0 and 1.0, was " + jitterFraction);
    }
    atLeast("failure-threshold", failureThreshold, 1);
    positive("failure-window", failureWindow);
    positive("cooling-period", coolingPeriod);
    positive("safe-ceiling-decay", safeCeilingDecay);
    if (totalTasks < 0) {
      throw new ConfigException("throttle.total-tasks must be >= 0, was " + totalTasks);
    }
  }

  /**
   * Starts a builder with the defaults: at most 16 concurrent calls, a slow start from 2 calls per
   * second and 1 in flight, no minimum interval, a 30 s maximum interval, jitter 0.25, a slow-down
   * at the first failure, a 1 s hold after it, a 5 min decay of the known maximum, no token budget,
   * unknown total, every exception a failure.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a configuration from a flat map of kebab-case keys, such as {@code max-concurrency=8},
   * {@code cooling-period=30s}, {@code token-budget.tokens=100000}, {@code token-budget.window=1m}.
   * Durations use {@link dev.sluice.time.Durations} notation. Keys not given keep their defaults.
   *
   * @param settings the settings; an unknown key is an error, not ignored
   * @return the validated configuration
   * @throws ConfigException for an unknown key, a value that does not parse, or a value that breaks
   *     a rule; the message names the key
   */
  public static ThrottleConfig fromMap(Map<String, String> settings) {
    return ConfigKeys.fromMap(settings);
  }

  /**
   * Reads a configuration from the process environment: {@code <PREFIX>_MAX_CONCURRENCY}, {@code
   * <PREFIX>_COOLING_PERIOD}, {@code <PREFIX>_TOKEN_BUDGET_TOKENS} and so on (the map keys
   * upper-cased, with {@code -} and {@code .} as {@code _}).
   *
   * @param prefix the variable prefix, such as {@code SLUICE_THROTTLE}
   * @return the validated configuration
   * @throws ConfigException for a variable with the prefix that names no setting, or a bad value;
   *     the message names the variable
   */
  public static ThrottleConfig fromEnv(String prefix) {
    return fromEnv(prefix, System.getenv());
  }

  /**
   * Reads a configuration from the given environment, as {@link #fromEnv(String)} does; for tests
   * and for callers that assemble their own environment.
   *
   * @param prefix the variable prefix
   * @param environment the variables to read
   * @return the validated configuration
   * @throws ConfigException as for {@link #fromEnv(String)}
   */
  public static ThrottleConfig fromEnv(String prefix, Map<String, String> environment) {
    return ConfigKeys.fromEnv(prefix, environment);
  }

  /**
   * Writes the loadable settings as the kebab-case map {@link #fromMap} reads, so {@code
   * fromMap(config.toMap())} equals {@code config} except for the failure predicate (code only).
   *
   * @return the settings, keys sorted
   */
  public Map<String, String> toMap() {
    return ConfigKeys.toMap(this);
  }

  /**
   * Returns a builder holding this configuration, to derive a variant.
   *
   * @return a builder preset with every value of this configuration
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxConcurrency = maxConcurrency;
    b.initialConcurrency = initialConcurrency;
    b.initialRate = initialRate;
    b.minDispatchInterval = minDispatchInterval;
    b.maxDispatchInterval = maxDispatchInterval;
    b.jitterFraction = jitterFraction;
    b.failureThreshold = failureThreshold;
    b.failureWindow = failureWindow;
    b.coolingPeriod = coolingPeriod;
    b.safeCeilingDecay = safeCeilingDecay;
    b.tokenBudget = tokenBudget;
    b.circuitBreaker = circuitBreaker;
    b.totalTasks = totalTasks;
    b.failurePredicate = failurePredicate;
    return b;
  }

  private static void atLeast(String key, long value, long min) {
    if (value < min) {
      throw new ConfigException("throttle." + key + " must be >= " + min + ", was " + value);
    }
  }

  private static void notNegative(String key, Duration value) {
    if (value.isNegative()) {
      throw new ConfigException("throttle." + key + " must be >= 0, was " + value);
    }
  }

  private static void positive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new ConfigException("throttle." + key + " must be > 0, was " + value);
    }
  }

  /** Collects settings and validates them once, in {@link #build()}. */
  public static final class Builder {
    private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
    private @Nullable Integer initialConcurrency;
    private double initialRate = DEFAULT_INITIAL_RATE;
    private Duration minDispatchInterval = Duration.ZERO;
    private Duration maxDispatchInterval = Duration.ofSeconds(30);
    private double jitterFraction = 0.25;
    private int failureThreshold = 1;
    private Duration failureWindow = Duration.ofSeconds(60);
    private Duration coolingPeriod = Duration.ofSeconds(1);
    private Duration safeCeilingDecay = Duration.ofMinutes(5);
    private @Nullable TokenBudget tokenBudget;
    private @Nullable CircuitBreakerConfig circuitBreaker;
    private long totalTasks;
    private Predicate<Throwable> failurePredicate = failure -> true;

    private Builder() {}

    /**
     * Sets the most calls in flight at once.
     *
     * @param value at least 1
     * @return this builder
     * @throws ConfigException from {@link #build()} if below 1
     */
    public Builder maxConcurrency(int value) {
      this.maxConcurrency = value;
      return this;
    }

    /**
     * Sets the concurrency to start at; defaults to 1 with a slow start, else to {@code
     * maxConcurrency}.
     *
     * @param value between 1 and {@code maxConcurrency}
     * @return this builder
     * @throws ConfigException from {@link #build()} if out of range
     */
    public Builder initialConcurrency(int value) {
      this.initialConcurrency = value;
      return this;
    }

    /**
     * Sets the rate a slow start begins at, in calls per second; {@code 0} turns slow start off, so
     * the throttle starts unpaced at the initial concurrency.
     *
     * @param perSecond zero or a positive finite number; defaults to {@value #DEFAULT_INITIAL_RATE}
     * @return this builder
     * @throws ConfigException from {@link #build()} if negative or not finite
     */
    public Builder initialRate(double perSecond) {
      this.initialRate = perSecond;
      return this;
    }

    /**
     * Sets the floor of the dispatch interval.
     *
     * @param value zero or positive
     * @return this builder
     * @throws ConfigException from {@link #build()} if negative
     */
    public Builder minDispatchInterval(Duration value) {
      this.minDispatchInterval = value;
      return this;
    }

    /**
     * Sets the cap of the dispatch interval.
     *
     * @param value at least the minimum interval
     * @return this builder
     * @throws ConfigException from {@link #build()} if below the minimum
     */
    public Builder maxDispatchInterval(Duration value) {
      this.maxDispatchInterval = value;
      return this;
    }

    /**
     * Sets the jitter added inside each dispatch slot, as a fraction of the interval.
     *
     * @param value in [0, 1]
     * @return this builder
     * @throws ConfigException from {@link #build()} if outside [0, 1]
     */
    public Builder jitterFraction(double value) {
      this.jitterFraction = value;
      return this;
    }

    /**
     * Sets how many failures within the failure window trigger a slow-down.
     *
     * @param value at least 1
     * @return this builder
     * @throws ConfigException from {@link #build()} if below 1
     */
    public Builder failureThreshold(int value) {
      this.failureThreshold = value;
      return this;
    }

    /**
     * Sets the window in which failures are counted.
     *
     * @param value positive
     * @return this builder
     * @throws ConfigException from {@link #build()} if not positive
     */
    public Builder failureWindow(Duration value) {
      this.failureWindow = value;
      return this;
    }

    /**
     * Sets how long the rate is held after a slow-down before it climbs again.
     *
     * @param value positive
     * @return this builder
     * @throws ConfigException from {@link #build()} if not positive
     */
    public Builder coolingPeriod(Duration value) {
      this.coolingPeriod = value;
      return this;
    }

    /**
     * Sets the time without failure after which the highest accepted rate is forgotten.
     *
     * @param value positive
     * @return this builder
     * @throws ConfigException from {@link #build()} if not positive
     */
    public Builder safeCeilingDecay(Duration value) {
      this.safeCeilingDecay = value;
      return this;
    }

    /**
     * Sets a rolling token budget, or removes it with {@code null}.
     *
     * @param value the budget, or {@code null} for none
     * @return this builder
     */
    public Builder tokenBudget(@Nullable TokenBudget value) {
      this.tokenBudget = value;
      return this;
    }

    /**
     * Puts a circuit breaker inside the throttle, or removes it with {@code null}. Every permit
     * reports its outcome to it; {@code Retry-After} on a failure holds an open breaker open until
     * then.
     *
     * @param value the breaker's settings, or {@code null} for none
     * @return this builder
     */
    public Builder circuitBreaker(@Nullable CircuitBreakerConfig value) {
      this.circuitBreaker = value;
      return this;
    }

    /**
     * Sets the number of tasks expected, for progress, ETA and milestones.
     *
     * @param value zero (unknown) or positive
     * @return this builder
     * @throws ConfigException from {@link #build()} if negative
     */
    public Builder totalTasks(long value) {
      this.totalTasks = value;
      return this;
    }

    /**
     * Sets which exceptions count as failures for slowing down; the rest are recorded as ignored.
     *
     * @param value the predicate; not {@code null}
     * @return this builder
     * @throws NullPointerException from {@link #build()} if {@code null}
     */
    public Builder failurePredicate(Predicate<Throwable> value) {
      this.failurePredicate = value;
      return this;
    }

    /**
     * Validates the settings and creates the configuration.
     *
     * @return the configuration
     * @throws ConfigException naming the key, the rule and the value that breaks it
     */
    public ThrottleConfig build() {
      return new ThrottleConfig(
          maxConcurrency,
          initialConcurrency == null ? (initialRate > 0 ? 1 : maxConcurrency) : initialConcurrency,
          initialRate,
          minDispatchInterval,
          maxDispatchInterval,
          jitterFraction,
          failureThreshold,
          failureWindow,
          coolingPeriod,
          safeCeilingDecay,
          tokenBudget,
          circuitBreaker,
          totalTasks,
          failurePredicate);
    }
  }
}
