package dev.sluice.ratelimit;

import dev.sluice.ratelimit.store.LimitStore;
import dev.sluice.ratelimit.store.MemoryStore;
import dev.sluice.time.EpochClock;
import dev.sluice.time.TimeSource;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Keyed rate limiting: decides, for a key such as a client address or a user id, whether a request
 * costing some permits fits within all of the key's limits, and charges them all or none.
 *
 * <pre>{@code
 * RateLimiter limiter = RateLimiter.builder().build(); // in-memory, system time
 * List<Limit> limits = List.of(
 *     Limit.of("per-second", 20, Duration.ofSeconds(1)),
 *     Limit.of("per-hour", 10_000, Duration.ofHours(1)));
 * Decision decision = limiter.decide("user:42", limits);
 * if (!decision.allowed()) {
 *   respond429(decision.retryAfter(), decision.violatedLimitIds());
 * }
 * }</pre>
 *
 * <p>Safe for concurrent use; the {@link LimitStore} makes each decision atomically. Time comes
 * from the injected {@link TimeSource}, through an {@link EpochClock}: the store is handed UTC
 * nanoseconds since the epoch, taken from the source's wall clock and advanced by its monotonic
 * ticker, so clock-aligned windows ({@link Algorithm#FIXED_WINDOW}, {@link
 * Algorithm#SLIDING_WINDOW}) fall on UTC multiples of their length in every store ("per day" is a
 * UTC day, on every node and after every restart) while refills and waits are measured by the
 * ticker. A step of the wall clock forward counts as time passing; a step back holds time still
 * until the wall clock has caught up, so no window is used twice.
 */
public final class RateLimiter {
  /** The most limits one key may carry in one decision. */
  public static final int MAX_LIMITS_PER_KEY = 64;

  private final LimitStore store;
  private final TimeSource time;
  private final EpochClock clock;

  private RateLimiter(Builder builder) {
    this.store = builder.store != null ? builder.store : MemoryStore.create();
    this.time = builder.time;
    this.clock = EpochClock.of(time);
  }

  /**
   * Starts a limiter with an in-memory store and the system time source by default.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Decides on one permit.
   *
   * @param key the thing being limited
   * @param limits its limits, see {@link #decide(String, List, long)}
   * @return the decision
   * @throws IllegalArgumentException if the limits are empty, too many or share an id
   */
  public Decision decide(String key, List<Limit> limits) {
    return decide(key, limits, 1);
  }

  /**
   * Decides on {@code cost} permits: allowed only if every limit has them, and then taken from
   * every limit.
   *
   * @param key the thing being limited
   * @param limits 1 to {@value #MAX_LIMITS_PER_KEY} limits with distinct ids; pass the same list
   *     instance each time where possible (a list equal to the previous one costs a comparison)
   * @param cost permits wanted, at least 1
   * @return the decision; denied with {@link Decision#NEVER} retry when {@code cost} exceeds a
   *     limit's burst
   * @throws IllegalArgumentException if the cost is below 1, or the limits are empty, too many or
   *     share an id
   */
  public Decision decide(String key, List<Limit> limits, long cost) {
    Objects.requireNonNull(key, "key");
    if (cost < 1) {
      throw new IllegalArgumentException("cost must be >= 1, was " + cost);
    }
    checkLimits(limits);
    return store.decide(key, limits, cost, clock.epochNanos());
  }

  private static void checkLimits(List<Limit> limits) {
    int n = limits.size();
    if (n == 0 || n > MAX_LIMITS_PER_KEY) {
      throw new IllegalArgumentException(
          "limits must hold 1 to " + MAX_LIMITS_PER_KEY + " limits, was " + n);
    }
    if (n == 1) {
      Objects.requireNonNull(limits.get(0), "limit");
      return;
    }
    for (int i = 1; i < n; i++) {
      String id = limits.get(i).id();
      for (int j = 0; j < i; j++) {
        if (limits.get(j).id().equals(id)) {
          throw new IllegalArgumentException("limit ids must be distinct, was " + id + " twice");
        }
      }
    }
  }

  /**
   * The store holding the keys' state.
   *
   * @return the store
   */
  public LimitStore store() {
    return store;
  }

  /**
   * The time source decisions are made with.
   *
   * @return the time source
   */
  public TimeSource timeSource() {
    return time;
  }

  /** Configures a {@link RateLimiter}. */
  public static final class Builder {
    private @Nullable LimitStore store;
    private TimeSource time = TimeSource.system();

    private Builder() {}

    /**
     * Sets where state lives; a {@link MemoryStore#create()} by default.
     *
     * @param store the store
     * @return this builder
     * @throws NullPointerException if {@code store} is null
     */
    public Builder store(LimitStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Sets the time source; {@link TimeSource#system()} by default.
     *
     * @param time the time source
     * @return this builder
     * @throws NullPointerException if {@code time} is null
     */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * Builds the limiter.
     *
     * @return the limiter
     */
    public RateLimiter build() {
      return new RateLimiter(this);
    }
  }
}
