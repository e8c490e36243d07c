package dev.sluice.breaker;

import dev.sluice.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What trips a breaker, what counts as a failure, and how it recovers. Immutable; validated once
 * when built, with errors that name the key, the rule and the value.
 *
 * <p>Trip rules, any combination; a value of 0 switches a rule off:
 *
 * <ul>
 *   <li>{@code consecutiveFailures}: that many failures in a row (default 10);
 *   <li>{@code windowFailures} within {@code failureWindow}: that many failures inside a sliding
 *       time window, successes in between notwithstanding;
 *   <li>{@code failureRateThreshold} and {@code slowCallRateThreshold}: a percentage of failed (or
 *       slow) calls over a count- or time-based window, once {@code minimumCalls} calls are in it.
 * </ul>
 *
 * <p>Recovery: the breaker stays open for {@code openDelay} (default 30 s), then admits {@code
 * halfOpenProbes} probes (default 1). That many successes close it; any failure reopens it for
 * twice the previous delay, at most {@code maxOpenDelay} (default 5 x {@code openDelay}). A probe
 * not reported within {@code probeTimeout} (default 1 min) gives its permit back.
 *
 * <pre>{@code
 * CircuitBreakerConfig config = CircuitBreakerConfig.builder()
 *     .consecutiveFailures(5)
 *     .failureRate(50, WindowType.COUNT_BASED, 20, 10)
 *     .ignoreOn(IllegalArgumentException.class)
 *     .failureIfResult(r -> r instanceof Integer status && status >= 500)
 *     .openDelay(Duration.ofSeconds(10))
 *     .build();
 * }</pre>
 *
 * @param consecutiveFailures failures in a row that trip the breaker; 0 for off
 * @param windowFailures failures within {@code failureWindow} that trip it; 0 for off
 * @param failureWindow the sliding time window for {@code windowFailures}
 * @param failureRateThreshold failure percentage in (0, 100] that trips it; 0 for off
 * @param slowCallRateThreshold slow-call percentage in (0, 100] that trips it; 0 for off
 * @param slowCallDuration a call that takes at least this long is slow
 * @param windowType how the rate window is measured
 * @param windowSize calls (count-based) or seconds (time-based) in the rate window
 * @param minimumCalls calls the rate window needs before a rate can trip the breaker
 * @param openDelay the base time the breaker stays open
 * @param maxOpenDelay the cap of the doubled open delay
 * @param halfOpenProbes probes admitted in half-open state, and successes needed to close
 * @param probeTimeout after this long an unreported probe's permit is taken back
 * @param recordFailure which exceptions count as failures (others count as successes)
 * @param ignoreFailure which exceptions count as nothing (checked before {@code recordFailure})
 * @param failureResult which results count as failures
 */
public record CircuitBreakerConfig(
    int consecutiveFailures,
    int windowFailures,
    Duration failureWindow,
    float failureRateThreshold,
    float slowCallRateThreshold,
    Duration slowCallDuration,
    WindowType windowType,
    int windowSize,
    int minimumCalls,
    Duration openDelay,
    Duration maxOpenDelay,
    int halfOpenProbes,
    Duration probeTimeout,
    Predicate<Throwable> recordFailure,
    Predicate<Throwable> ignoreFailure,
    Predicate<@Nullable Object> failureResult) {

  /** The defaults: 10 consecutive failures, open 30 s (doubling up to 150 s), 1 probe. */
  public static final CircuitBreakerConfig DEFAULT = builder().build();

  /**
   * Validates the configuration.
   *
   * @throws ConfigException if a value breaks its rule; the message names it
   */
  public CircuitBreakerConfig {
    Objects.requireNonNull(failureWindow, "breaker.failure-window");
    Objects.requireNonNull(slowCallDuration, "breaker.slow-call-duration");
    Objects.requireNonNull(windowType, "breaker.window-type");
    Objects.requireNonNull(openDelay, "breaker.open-delay");
    Objects.requireNonNull(maxOpenDelay, "breaker.max-open-delay");
    Objects.requireNonNull(probeTimeout, "breaker.probe-timeout");
    Objects.requireNonNull(recordFailure, "breaker.record-failure");
    Objects.requireNonNull(ignoreFailure, "breaker.ignore-failure");
    Objects.requireNonNull(failureResult, "breaker.failure-result");
    atLeast("breaker.consecutive-failures", consecutiveFailures, 0);
    atLeast("breaker.window-failures", windowFailures, 0);
    if (windowFailures > 0 && !positive(failureWindow)) {
      throw new ConfigException(
          "breaker.failure-window must be > 0 when window-failures is set, was " + failureWindow);
    }
    percent("breaker.failure-rate-threshold", failureRateThreshold);
    percent("breaker.slow-call-rate-threshold", slowCallRateThreshold);
    if (!positive(slowCallDuration)) {
      throw new ConfigException("breaker.slow-call-duration must be > 0, was " + slowCallDuration);
    }
    atLeast("breaker.window-size", windowSize, 1);
    atLeast("breaker.minimum-calls", minimumCalls, 1);
    if (openDelay.isNegative()) {
      throw new ConfigException("breaker.open-delay must be >= 0, was " + openDelay);
    }
    if (maxOpenDelay.compareTo(openDelay) < 0) {
      throw new ConfigException(
          "breaker.max-open-delay must be >= open-delay (" + openDelay + "), was " + maxOpenDelay);
    }
    atLeast("breaker.half-open-probes", halfOpenProbes, 1);
    if (!positive(probeTimeout)) {
      throw new ConfigException("breaker.probe-timeout must be > 0, was " + probeTimeout);
    }
  }

  /**
   * Starts a builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  boolean rateRuleEnabled() {
    return failureRateThreshold > 0 || slowCallRateThreshold > 0;
  }

  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  private static void atLeast(String key, int value, int min) {
    if (value < min) {
      throw new ConfigException(key + " must be >= " + min + ", was " + value);
    }
  }

  private static void percent(String key, float value) {
    if (!(value >= 0 && value <= 100)) {
      throw new ConfigException(key + " must be within [0, 100], was " + value);
    }
  }

  /**
   * Builds a {@link CircuitBreakerConfig}. Setters only collect values; {@link #build()} checks
   * every rule, once, in the record's constructor. Not thread-safe.
   */
  public static final class Builder {
    private int consecutiveFailures = 10;
    private int windowFailures;
    private Duration failureWindow = Duration.ofMinutes(1);
    private float failureRateThreshold;
    private float slowCallRateThreshold;
    private Duration slowCallDuration = Duration.ofMinutes(1);
    private WindowType windowType = WindowType.COUNT_BASED;
    private int windowSize = 100;
    private int minimumCalls = 100;
    private Duration openDelay = Duration.ofSeconds(30);
    private @Nullable Duration maxOpenDelay;
    private int halfOpenProbes = 1;
    private Duration probeTimeout = Duration.ofMinutes(1);
    private final List<Predicate<Throwable>> recordFailure = new ArrayList<>();
    private final List<Predicate<Throwable>> ignoreFailure = new ArrayList<>();
    private final List<Predicate<@Nullable Object>> failureResult = new ArrayList<>();

    private Builder() {}

    /**
     * Trips after this many failures in a row; 0 switches the rule off.
     *
     * @param count at least 0
     * @return this builder
     */
    public Builder consecutiveFailures(int count) {
      this.consecutiveFailures = count;
      return this;
    }

    /**
     * Trips when {@code count} failures fall inside a sliding {@code window}; 0 switches off.
     *
     * @param count at least 0
     * @param window positive
     * @return this builder
     */
    public Builder failuresWithin(int count, Duration window) {
      this.windowFailures = count;
      this.failureWindow = Objects.requireNonNull(window, "breaker.failure-window");
      return this;
    }

    /**
     * Trips when at least {@code thresholdPercent} of the calls in the window failed, once the
     * window holds {@code minimumCalls} calls.
     *
     * @param thresholdPercent within (0, 100]; 0 switches the rule off
     * @param type count- or time-based window
     * @param size calls or seconds, at least 1
     * @param minimumCalls at least 1
     * @return this builder
     */
    public Builder failureRate(
        float thresholdPercent, WindowType type, int size, int minimumCalls) {
      window(type, size, minimumCalls);
      this.failureRateThreshold = thresholdPercent;
      return this;
    }

    /**
     * Trips when at least {@code thresholdPercent} of the calls in the rate window took {@code
     * slowCallDuration} or longer. Shares the window of {@link #failureRate}; set the window with
     * {@link #window} when only this rule is used.
     *
     * @param thresholdPercent within (0, 100]; 0 switches the rule off
     * @param slowCallDuration positive
     * @return this builder
     */
    public Builder slowCallRate(float thresholdPercent, Duration slowCallDuration) {
      this.slowCallRateThreshold = thresholdPercent;
      this.slowCallDuration =
          Objects.requireNonNull(slowCallDuration, "breaker.slow-call-duration");
      return this;
    }

    /**
     * The rate window (default the last 100 calls, 100 calls minimum).
     *
     * @param type count- or time-based
     * @param size calls or seconds, at least 1
     * @param minimumCalls at least 1
     * @return this builder
     */
    public Builder window(WindowType type, int size, int minimumCalls) {
      this.windowType = Objects.requireNonNull(type, "breaker.window-type");
      this.windowSize = size;
      this.minimumCalls = minimumCalls;
      return this;
    }

    /**
     * The base time the breaker stays open; the cap defaults to five times this.
     *
     * @param delay not negative (zero goes to half-open at the next call)
     * @return this builder
     */
    public Builder openDelay(Duration delay) {
      this.openDelay = Objects.requireNonNull(delay, "breaker.open-delay");
      return this;
    }

    /**
     * The cap of the open delay, which doubles with each failed probe.
     *
     * @param cap at least the open delay (checked at {@link #build})
     * @return this builder
     * @throws NullPointerException if {@code cap} is null
     */
    public Builder maxOpenDelay(Duration cap) {
      this.maxOpenDelay = Objects.requireNonNull(cap, "breaker.max-open-delay");
      return this;
    }

    /**
     * Probes admitted in half-open state; as many successes close the breaker.
     *
     * @param probes at least 1
     * @return this builder
     */
    public Builder halfOpenProbes(int probes) {
      this.halfOpenProbes = probes;
      return this;
    }

    /**
     * How long a half-open probe may stay unreported before its permit is taken back and given to
     * another caller. Its late report then changes nothing.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder probeTimeout(Duration timeout) {
      this.probeTimeout = Objects.requireNonNull(timeout, "breaker.probe-timeout");
      return this;
    }

    /**
     * Counts only exceptions of these types as failures (others count as successes). Without any
     * record rule every exception is a failure.
     *
     * @param types exception types
     * @return this builder
     * @throws NullPointerException if a type is null
     */
    @SafeVarargs
    public final Builder recordOn(Class<? extends Throwable>... types) {
      for (Class<? extends Throwable> type : types) {
        Objects.requireNonNull(type, "breaker.record-on type");
        recordFailure.add(type::isInstance);
      }
      return this;
    }

    /**
     * Counts exceptions that match as failures; see {@link #recordOn}.
     *
     * @param predicate tests an exception
     * @return this builder
     * @throws NullPointerException if {@code predicate} is null
     */
    public Builder recordIf(Predicate<Throwable> predicate) {
      recordFailure.add(Objects.requireNonNull(predicate, "breaker.record-if"));
      return this;
    }

    /**
     * Counts exceptions of these types as nothing: the permit is given back.
     *
     * @param types exception types
     * @return this builder
     * @throws NullPointerException if a type is null
     */
    @SafeVarargs
    public final Builder ignoreOn(Class<? extends Throwable>... types) {
      for (Class<? extends Throwable> type : types) {
        Objects.requireNonNull(type, "breaker.ignore-on type");
        ignoreFailure.add(type::isInstance);
      }
      return this;
    }

    /**
     * Counts exceptions that match as nothing; see {@link #ignoreOn}.
     *
     * @param predicate tests an exception
     * @return this builder
     * @throws NullPointerException if {@code predicate} is null
     */
    public Builder ignoreIf(Predicate<Throwable> predicate) {
      ignoreFailure.add(Objects.requireNonNull(predicate, "breaker.ignore-if"));
      return this;
    }

    /**
     * Counts results that match as failures, such as a response with status 503.
     *
     * @param predicate tests a result (which may be null)
     * @return this builder
     * @throws NullPointerException if {@code predicate} is null
     */
    public Builder failureIfResult(Predicate<@Nullable Object> predicate) {
      failureResult.add(Objects.requireNonNull(predicate, "breaker.failure-if-result"));
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the validated configuration
     * @throws ConfigException if a value breaks its rule
     */
    public CircuitBreakerConfig build() {
      Duration cap = maxOpenDelay != null ? maxOpenDelay : multiplied(openDelay, 5);
      return new CircuitBreakerConfig(
          consecutiveFailures,
          windowFailures,
          failureWindow,
          failureRateThreshold,
          slowCallRateThreshold,
          slowCallDuration,
          windowType,
          windowSize,
          minimumCalls,
          openDelay,
          cap,
          halfOpenProbes,
          probeTimeout,
          recordFailure.isEmpty() ? t -> true : anyOf(recordFailure),
          anyOf(ignoreFailure),
          anyOf(failureResult));
    }

    private static Duration multiplied(Duration d, int factor) {
      try {
        return d.multipliedBy(factor);
      } catch (ArithmeticException overflow) {
        return d;
      }
    }

    private static <T extends @Nullable Object> Predicate<T> anyOf(List<Predicate<T>> predicates) {
      List<Predicate<T>> copy = List.copyOf(predicates);
      if (copy.isEmpty()) {
        return t -> false;
      }
      if (copy.size() == 1) {
        return copy.get(0);
      }
      return t -> {
        for (Predicate<T> p : copy) {
          if (p.test(t)) {
            return true;
          }
        }
        return false;
      };
    }
  }
}
