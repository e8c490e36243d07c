package dev.sluice.ratelimit.policy;

import dev.sluice.ratelimit.RateLimitConfigException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Progressive penalties for clients that keep hitting their limits. Each denial is a violation;
 * when a client collects {@code threshold} violations within {@code window}, it is refused outright
 * for a cooldown. Its first penalty lasts {@code cooldown}; each further penalty that starts less
 * than {@code resetAfter} after the previous one ended is one level higher and lasts {@code
 * multiplier} times longer, up to {@code maxCooldown}. A client penalty-free for {@code resetAfter}
 * starts again at level 1.
 *
 * <pre>{@code
 * Penalty penalty = Penalty.builder()
 *     .threshold(5).window(Duration.ofMinutes(1))
 *     .cooldown(Duration.ofMinutes(1)).multiplier(2).maxCooldown(Duration.ofHours(1))
 *     .build();
 * }</pre>
 *
 * @param threshold violations within the window that trigger a penalty, at least 1
 * @param window how long violations are counted together
 * @param cooldown the length of a level-1 penalty
 * @param multiplier how much longer each level lasts than the one before, at least 1
 * @param maxCooldown the longest penalty, at least {@code cooldown}
 * @param resetAfter how long after a penalty's end the level is forgotten
 */
public record Penalty(
    int threshold,
    Duration window,
    Duration cooldown,
    long multiplier,
    Duration maxCooldown,
    Duration resetAfter) {

  /**
   * Validates the penalty.
   *
   * @throws RateLimitConfigException if a value breaks a rule
   */
  public Penalty {
    if (threshold < 1) {
      throw new RateLimitConfigException("penalty.threshold must be >= 1, was " + threshold);
    }
    positive("window", window);
    positive("cooldown", cooldown);
    positive("max-cooldown", maxCooldown);
    positive("reset-after", resetAfter);
    if (multiplier < 1) {
      throw new RateLimitConfigException("penalty.multiplier must be >= 1, was " + multiplier);
    }
    if (maxCooldown.compareTo(cooldown) < 0) {
      throw new RateLimitConfigException(
          "penalty.max-cooldown must be >= cooldown (" + cooldown + "), was " + maxCooldown);
    }
  }

  private static void positive(String key, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new RateLimitConfigException("penalty." + key + " must be > 0, was " + value);
    }
  }

  /**
   * Starts a penalty with defaults: 5 violations in 1 minute, 1 minute cooldown doubling up to 1
   * hour, forgotten 1 hour after the last penalty.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The length of a penalty at a level.
   *
   * @param level 1 for the first penalty
   * @return {@code cooldown * multiplier^(level-1)}, at most {@code maxCooldown}
   */
  public Duration cooldownAt(int level) {
    long max = maxCooldown.toNanos();
    long length = cooldown.toNanos();
    for (int i = 1; i < level && length < max; i++) {
      length =
          Math.multiplyHigh(length, multiplier) != 0 ? max : Math.min(max, length * multiplier);
    }
    return Duration.ofNanos(Math.min(length, max));
  }

  /** Collects the values of a {@link Penalty}. */
  public static final class Builder {
    private int threshold = 5;
    private Duration window = Duration.ofMinutes(1);
    private Duration cooldown = Duration.ofMinutes(1);
    private long multiplier = 2;
    private Duration maxCooldown = Duration.ofHours(1);
    private @Nullable Duration resetAfter;

    private Builder() {}

    /**
     * Sets the number of violations that triggers a penalty.
     *
     * @param threshold at least 1
     * @return this builder
     */
    public Builder threshold(int threshold) {
      this.threshold = threshold;
      return this;
    }

    /**
     * Sets how long violations are counted together.
     *
     * @param window positive
     * @return this builder
     */
    public Builder window(Duration window) {
      this.window = Objects.requireNonNull(window, "window");
      return this;
    }

    /**
     * Sets the length of a first penalty.
     *
     * @param cooldown positive
     * @return this builder
     */
    public Builder cooldown(Duration cooldown) {
      this.cooldown = Objects.requireNonNull(cooldown, "cooldown");
      return this;
    }

    /**
     * Sets the growth per level.
     *
     * @param multiplier at least 1
     * @return this builder
     */
    public Builder multiplier(long multiplier) {
      this.multiplier = multiplier;
      return this;
    }

    /**
     * Sets the longest penalty.
     *
     * @param maxCooldown at least the cooldown
     * @return this builder
     */
    public Builder maxCooldown(Duration maxCooldown) {
      this.maxCooldown = Objects.requireNonNull(maxCooldown, "maxCooldown");
      return this;
    }

    /**
     * Sets how long after a penalty's end its level is forgotten; {@code maxCooldown} by default.
     *
     * @param resetAfter positive
     * @return this builder
     */
    public Builder resetAfter(Duration resetAfter) {
      this.resetAfter = Objects.requireNonNull(resetAfter, "resetAfter");
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the penalty
     * @throws RateLimitConfigException if a value breaks a rule
     */
    public Penalty build() {
      return new Penalty(
          threshold,
          window,
          cooldown,
          multiplier,
          maxCooldown,
          resetAfter != null ? resetAfter : maxCooldown);
    }
  }
}
