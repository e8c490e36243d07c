package dev.sluice.retry;

import dev.sluice.ConfigException;
import dev.sluice.time.TimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Learns how fast each provider really lets us call it, from its throttling responses.
 *
 * <p>Per provider key, consecutive throttling responses (429, or whatever the caller counts as
 * throttling) lower the allowed share of the configured rate: 0 to 2 in a row change nothing, 3 to
 * 4 allow 90%, 5 to 9 allow 80%, 10 or more allow 70%. The rate never drops below 20% of the
 * configured rate nor below 1 request per second (nor rises above the configured rate). A success
 * ends the streak and the rate climbs back gradually: by 5% of the configured rate for every full
 * 10 seconds since that success, until it is whole again or the next throttling response stops the
 * climb where it got to. The table, floors and climb are configurable.
 *
 * <p>Memory is bounded: at most 50 recent events per provider and {@code maxProviders} providers
 * (the least recently used is forgotten). Optionally the learned state is kept in a JSON file,
 * written atomically (temporary file, then rename) after each change and read at start; an
 * unreadable or corrupt file is logged as a warning and the learner starts fresh.
 *
 * <p>Off unless enabled: a learner built without {@code enabled(true)} allows the configured rate
 * and remembers nothing, so callers can hold one either way.
 *
 * <pre>{@code
 * RateLearner learner = RateLearner.builder().enabled(true).persistTo(Path.of("rates.json")).build();
 * if (response.status() == 429) learner.recordThrottled("api.example.com");
 * else learner.recordSuccess("api.example.com");
 * double rate = learner.allowedRate("api.example.com", 50.0);
 * }</pre>
 *
 * <p>Safe for concurrent use; one {@link ReentrantLock} guards the state.
 */
public final class RateLearner {
  private static final Map<Integer, Double> DEFAULT_REDUCTIONS = Map.of(3, 0.10, 5, 0.20, 10, 0.30);

  private final boolean enabled;
  private final TimeSource time;
  private final int maxProviders;
  private final NavigableMap<Integer, Double> reductions;
  private final double floorFraction;
  private final double minRate;
  private final double recoveryStep;
  private final long recoveryIntervalNanos;
  private final @Nullable RateLearnerFile file;
  private final ReentrantLock lock = new ReentrantLock();
  private final LinkedHashMap<String, ProviderState> providers;

  private RateLearner(Builder b) {
    this.enabled = b.enabled;
    this.time = b.time;
    this.maxProviders = b.maxProviders;
    this.reductions = new TreeMap<>(b.reductions.isEmpty() ? DEFAULT_REDUCTIONS : b.reductions);
    this.floorFraction = b.floorFraction;
    this.minRate = b.minRate;
    this.recoveryStep = b.recoveryStep;
    this.recoveryIntervalNanos = b.recoveryInterval.toNanos();
    this.providers = new LinkedHashMap<>(16, 0.75f, true);
    this.file = enabled && b.file != null ? new RateLearnerFile(b.file, time) : null;
    if (file != null) {
      file.load(providers, time.nanoTime());
      trim();
    }
  }

  /**
   * Starts a builder: disabled, the default table, no persistence.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether this learner learns at all.
   *
   * @return {@code false} for a disabled learner
   */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Records a throttling response from {@code provider}.
   *
   * @param provider the provider key
   * @return the throttle streak after this response (0 when disabled)
   */
  public int recordThrottled(String provider) {
    Objects.requireNonNull(provider, "provider");
    if (!enabled) {
      return 0;
    }
    int streak;
    lock.lock();
    try {
      long now = time.nanoTime();
      ProviderState state = stateOf(provider);
      double current = state.factor(now, recoveryStep, recoveryIntervalNanos);
      state.streak++;
      double target = 1.0 - reductionFor(state.streak);
      state.reducedFactor = Math.max(floorFraction, Math.min(current, target));
      state.recovering = false;
      state.remember(new RateEvent(time.now(), RateEvent.Kind.THROTTLED));
      streak = state.streak;
    } finally {
      lock.unlock();
    }
    save();
    return streak;
  }

  /**
   * Records a successful response from {@code provider}: the streak ends and the rate starts
   * climbing back.
   *
   * @param provider the provider key
   */
  public void recordSuccess(String provider) {
    Objects.requireNonNull(provider, "provider");
    if (!enabled) {
      return;
    }
    boolean changed;
    lock.lock();
    try {
      ProviderState state = providers.get(provider);
      if (state == null) {
        return; // nothing learned about it: nothing to remember
      }
      changed = state.streak > 0 || !state.recovering;
      state.streak = 0;
      if (!state.recovering) {
        state.recovering = true;
        state.recoveryStartNanos = time.nanoTime();
      }
      state.remember(new RateEvent(time.now(), RateEvent.Kind.SUCCESS));
    } finally {
      lock.unlock();
    }
    if (changed) {
      save();
    }
  }

  /**
   * The rate to use for {@code provider} now.
   *
   * @param provider the provider key
   * @param configuredRate the configured rate in requests per second, positive
   * @return the learned rate: the configured rate times the learned share, floored
   * @throws ConfigException if {@code configuredRate} is not positive
   */
  public double allowedRate(String provider, double configuredRate) {
    if (!(configuredRate > 0) || Double.isInfinite(configuredRate)) {
      throw new ConfigException(
          "rate-learner.configured-rate must be a finite number > 0, was " + configuredRate);
    }
    double factor = rateFactor(provider);
    double floor = Math.max(configuredRate * floorFraction, minRate);
    return Math.min(configuredRate, Math.max(configuredRate * factor, floor));
  }

  /**
   * The share of the configured rate allowed now, before the absolute floor.
   *
   * @param provider the provider key
   * @return within [floor, 1]; 1 for an unknown provider or a disabled learner
   */
  public double rateFactor(String provider) {
    Objects.requireNonNull(provider, "provider");
    if (!enabled) {
      return 1.0;
    }
    lock.lock();
    try {
      ProviderState state = providers.get(provider);
      return state == null
          ? 1.0
          : state.factor(time.nanoTime(), recoveryStep, recoveryIntervalNanos);
    } finally {
      lock.unlock();
    }
  }

  /**
   * What is known about {@code provider}.
   *
   * @param provider the provider key
   * @return its state, or empty when nothing is known
   */
  public Optional<ProviderRate> provider(String provider) {
    Objects.requireNonNull(provider, "provider");
    lock.lock();
    try {
      ProviderState state = providers.get(provider);
      if (state == null) {
        return Optional.empty();
      }
      return Optional.of(
          new ProviderRate(
              provider,
              state.streak,
              state.factor(time.nanoTime(), recoveryStep, recoveryIntervalNanos),
              List.copyOf(state.events)));
    } finally {
      lock.unlock();
    }
  }

  /**
   * The keys of the providers currently remembered, least recently used first.
   *
   * @return the keys
   */
  public List<String> providers() {
    lock.lock();
    try {
      return new ArrayList<>(providers.keySet());
    } finally {
      lock.unlock();
    }
  }

  /** Writes the state to the file now, if persistence is on. Failures are logged, not thrown. */
  public void save() {
    if (file != null) {
      file.save(lock, providers, time.nanoTime());
    }
  }

  private double reductionFor(int streak) {
    Map.Entry<Integer, Double> step = reductions.floorEntry(streak);
    return step == null ? 0 : step.getValue();
  }

  private ProviderState stateOf(String provider) {
    ProviderState state = providers.get(provider);
    if (state == null) {
      state = new ProviderState();
      providers.put(provider, state);
      trim();
    }
    return state;
  }

  private void trim() {
    var it = providers.entrySet().iterator();
    while (providers.size() > maxProviders && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  /** Builds a {@link RateLearner}. Not thread-safe. */
  public static final class Builder {
    private boolean enabled;
    private TimeSource time = TimeSource.system();
    private int maxProviders = 1_000;
    private final Map<Integer, Double> reductions = new TreeMap<>();
    private double floorFraction = 0.2;
    private double minRate = 1.0;
    private double recoveryStep = 0.05;
    private Duration recoveryInterval = Duration.ofSeconds(10);
    private @Nullable Path file;

    private Builder() {}

    /**
     * Switches learning on or off (off by default).
     *
     * @param enabled whether to learn
     * @return this builder
     */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /**
     * The time source for the climb back and event times.
     *
     * @param time the time source
     * @return this builder
     * @throws NullPointerException if {@code time} is null
     */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "rate-learner.time-source");
      return this;
    }

    /**
     * How many providers to remember at most (default 1000); the least recently used is forgotten.
     *
     * @param maxProviders at least 1
     * @return this builder
     * @throws ConfigException if below 1
     */
    public Builder maxProviders(int maxProviders) {
      if (maxProviders < 1) {
        throw new ConfigException("rate-learner.max-providers must be >= 1, was " + maxProviders);
      }
      this.maxProviders = maxProviders;
      return this;
    }

    /**
     * Adds a step to the reduction table: from {@code streak} throttling responses in a row on,
     * allow {@code 1 - fraction} of the configured rate. Setting any step replaces the default
     * table (3: 10%, 5: 20%, 10: 30%).
     *
     * @param streak at least 1
     * @param fraction within [0, 1)
     * @return this builder
     * @throws ConfigException if a value breaks its rule
     */
    public Builder reduction(int streak, double fraction) {
      if (streak < 1) {
        throw new ConfigException("rate-learner.reduction streak must be >= 1, was " + streak);
      }
      if (!(fraction >= 0 && fraction < 1)) {
        throw new ConfigException(
            "rate-learner.reduction fraction must be within [0, 1), was " + fraction);
      }
      reductions.put(streak, fraction);
      return this;
    }

    /**
     * The floors: never below {@code fraction} of the configured rate (default 0.2) nor below
     * {@code minRate} requests per second (default 1).
     *
     * @param fraction within (0, 1]
     * @param minRate not negative
     * @return this builder
     * @throws ConfigException if a value breaks its rule
     */
    public Builder floor(double fraction, double minRate) {
      if (!(fraction > 0 && fraction <= 1)) {
        throw new ConfigException(
            "rate-learner.floor-fraction must be within (0, 1], was " + fraction);
      }
      if (!(minRate >= 0) || Double.isInfinite(minRate)) {
        throw new ConfigException(
            "rate-learner.min-rate must be a finite number >= 0, was " + minRate);
      }
      this.floorFraction = fraction;
      this.minRate = minRate;
      return this;
    }

    /**
     * How the rate climbs back after a success: {@code step} of the configured rate per full {@code
     * interval} (default 5% per 10 s).
     *
     * @param step within (0, 1]
     * @param interval positive
     * @return this builder
     * @throws ConfigException if a value breaks its rule
     */
    public Builder recovery(double step, Duration interval) {
      if (!(step > 0 && step <= 1)) {
        throw new ConfigException("rate-learner.recovery-step must be within (0, 1], was " + step);
      }
      Objects.requireNonNull(interval, "rate-learner.recovery-interval");
      if (interval.isNegative() || interval.isZero()) {
        throw new ConfigException("rate-learner.recovery-interval must be > 0, was " + interval);
      }
      this.recoveryStep = step;
      this.recoveryInterval = interval;
      return this;
    }

    /**
     * Keeps the learned state in this JSON file (off by default).
     *
     * @param file the file; its directory must exist
     * @return this builder
     * @throws NullPointerException if {@code file} is null
     */
    public Builder persistTo(Path file) {
      this.file = Objects.requireNonNull(file, "rate-learner.file");
      return this;
    }

    /**
     * Builds the learner, reading the file if persistence is on.
     *
     * @return the learner
     */
    public RateLearner build() {
      return new RateLearner(this);
    }
  }
}
