package dev.sluice.retry;

import dev.sluice.ConfigException;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * How long to wait before the next attempt, as plain data: a {@link Fixed} or an {@link
 * Exponential} delay with a {@link Jitter}. Being records, backoffs can be stored (the durable
 * engine keeps them as JSON) and rebuilt in another process with the same behaviour.
 *
 * <p>Randomness comes from the {@link RandomGenerator} passed to {@link #delayFor}, so a seeded
 * generator gives a reproducible sequence.
 *
 * <pre>{@code
 * Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(20))
 *     .withJitter(Jitter.FULL);
 * Duration third = backoff.delayFor(3, null, new SplittableRandom(42));
 * }</pre>
 */
public sealed interface Backoff permits Backoff.Fixed, Backoff.Exponential {

  /**
   * Computes the delay before the attempt that follows failed attempt number {@code attempt}.
   *
   * @param attempt how many attempts have been made so far, from 1
   * @param previousDelay the delay used before the previous attempt, or {@code null} when unknown
   *     (decorrelated jitter then starts from the un-jittered delay of the previous attempt)
   * @param random the source of randomness for the jitter
   * @return the delay, never negative
   * @throws ConfigException if {@code attempt < 1}
   */
  Duration delayFor(int attempt, @Nullable Duration previousDelay, RandomGenerator random);

  /**
   * The jitter of this backoff.
   *
   * @return the jitter
   */
  Jitter jitter();

  /**
   * The same delay before every attempt.
   *
   * @param delay the delay, not negative
   * @return a fixed backoff without jitter
   * @throws ConfigException if the delay is negative
   */
  static Fixed fixed(Duration delay) {
    return new Fixed(delay, Jitter.NONE);
  }

  /**
   * A delay that starts at {@code initialDelay} and is multiplied by {@code multiplier} after each
   * attempt, never above {@code maxDelay}.
   *
   * @param initialDelay the delay after the first attempt, positive
   * @param multiplier the growth per attempt, at least 1
   * @param maxDelay the cap, at least {@code initialDelay}
   * @return an exponential backoff without jitter
   * @throws ConfigException if a parameter breaks its rule
   */
  static Exponential exponential(Duration initialDelay, double multiplier, Duration maxDelay) {
    return new Exponential(initialDelay, multiplier, maxDelay, Jitter.NONE);
  }

  /**
   * A fixed delay.
   *
   * @param delay the delay before every retry
   * @param jitter the jitter; {@link Jitter.Kind#DECORRELATED} is not allowed
   */
  record Fixed(Duration delay, Jitter jitter) implements Backoff {
    /**
     * Validates the backoff.
     *
     * @throws ConfigException if the delay is negative or the jitter is decorrelated
     */
    public Fixed {
      Objects.requireNonNull(delay, "retry.backoff.delay");
      Objects.requireNonNull(jitter, "retry.backoff.jitter");
      if (delay.isNegative()) {
        throw new ConfigException("retry.backoff.delay must be >= 0, was " + delay);
      }
      if (jitter.kind() == Jitter.Kind.DECORRELATED) {
        throw new ConfigException(
            "retry.backoff.jitter must not be DECORRELATED for a fixed backoff, was " + jitter);
      }
    }

    /**
     * Returns this backoff with another jitter.
     *
     * @param jitter the jitter
     * @return a new fixed backoff
     * @throws ConfigException if the jitter is decorrelated
     */
    public Fixed withJitter(Jitter jitter) {
      return new Fixed(delay, jitter);
    }

    @Override
    public Duration delayFor(
        int attempt, @Nullable Duration previousDelay, RandomGenerator random) {
      BackoffMath.requireAttempt(attempt);
      long nanos = BackoffMath.jitter(jitter, BackoffMath.nanos(delay), random);
      return Duration.ofNanos(nanos);
    }
  }

  /**
   * An exponential delay with a cap.
   *
   * @param initialDelay the delay after the first attempt
   * @param multiplier the growth factor per attempt
   * @param maxDelay the largest delay ever returned, jitter included
   * @param jitter the jitter
   */
  record Exponential(Duration initialDelay, double multiplier, Duration maxDelay, Jitter jitter)
      implements Backoff {
    /**
     * Validates the backoff.
     *
     * @throws ConfigException if the initial delay is not positive, the multiplier is below 1 or
     *     not finite, or the cap is below the initial delay
     */
    public Exponential {
      Objects.requireNonNull(initialDelay, "retry.backoff.initial-delay");
      Objects.requireNonNull(maxDelay, "retry.backoff.max-delay");
      Objects.requireNonNull(jitter, "retry.backoff.jitter");
      if (initialDelay.isNegative() || initialDelay.isZero()) {
        throw new ConfigException("retry.backoff.initial-delay must be > 0, was " + initialDelay);
      }
      if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
        throw new ConfigException(
            "retry.backoff.multiplier must be a finite number >= 1, was " + multiplier);
      }
      if (maxDelay.compareTo(initialDelay) < 0) {
        throw new ConfigException(
            "retry.backoff.max-delay must be >= initial-delay ("
                + initialDelay
                + "), was "
                + maxDelay);
      }
    }

    /**
     * Returns this backoff with another jitter.
     *
     * @param jitter the jitter
     * @return a new exponential backoff
     */
    public Exponential withJitter(Jitter jitter) {
      return new Exponential(initialDelay, multiplier, maxDelay, jitter);
    }

    @Override
    public Duration delayFor(
        int attempt, @Nullable Duration previousDelay, RandomGenerator random) {
      BackoffMath.requireAttempt(attempt);
      long cap = BackoffMath.nanos(maxDelay);
      long initial = BackoffMath.nanos(initialDelay);
      if (jitter.kind() == Jitter.Kind.DECORRELATED) {
        long previous =
            previousDelay != null
                ? BackoffMath.nanos(previousDelay)
                : attempt == 1 ? initial : BackoffMath.grow(initial, multiplier, attempt - 2, cap);
        return Duration.ofNanos(BackoffMath.decorrelated(initial, previous, cap, random));
      }
      long base = BackoffMath.grow(initial, multiplier, attempt - 1, cap);
      return Duration.ofNanos(Math.min(cap, BackoffMath.jitter(jitter, base, random)));
    }
  }
}
