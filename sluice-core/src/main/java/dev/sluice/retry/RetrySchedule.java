package dev.sluice.retry;

import dev.sluice.ConfigException;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The storable part of a retry policy: how many attempts, for how long, and how far apart. It holds
 * no code (no predicates, no listeners), so it can be written as JSON next to a task and rebuilt in
 * another process with {@link RetryPolicy#of(RetrySchedule)} or {@link
 * RetryPolicy.Builder#schedule(RetrySchedule)}.
 *
 * @param maxAttempts total attempts allowed, the first one included; at least 1
 * @param maxElapsed the time budget from the first attempt after which no retry starts, or {@code
 *     null} for none
 * @param backoff the delays between attempts
 * @param maxDelay the largest delay ever waited, a server's Retry-After included
 * @param overMaxDelay what to do when a server asks to wait longer than {@code maxDelay}
 */
public record RetrySchedule(
    int maxAttempts,
    @Nullable Duration maxElapsed,
    Backoff backoff,
    Duration maxDelay,
    OverMaxDelay overMaxDelay) {

  /** What to do when a server's Retry-After is longer than the maximum delay. */
  public enum OverMaxDelay {
    /** Wait the maximum delay and try again anyway. */
    CAP,
    /** Stop retrying: the server will not be ready within the time we are willing to wait. */
    GIVE_UP
  }

  /** The default schedule: 3 attempts, exponential 100 ms x2 up to 10 s with full jitter. */
  public static final RetrySchedule DEFAULT =
      new RetrySchedule(
          3,
          null,
          Backoff.exponential(Duration.ofMillis(100), 2, Duration.ofSeconds(10))
              .withJitter(Jitter.FULL),
          Duration.ofMinutes(5),
          OverMaxDelay.CAP);

  /**
   * Validates the schedule.
   *
   * @throws ConfigException if a value breaks its rule; the message names it
   */
  public RetrySchedule {
    Objects.requireNonNull(backoff, "retry.backoff");
    Objects.requireNonNull(maxDelay, "retry.max-delay");
    Objects.requireNonNull(overMaxDelay, "retry.over-max-delay");
    if (maxAttempts < 1) {
      throw new ConfigException("retry.max-attempts must be >= 1, was " + maxAttempts);
    }
    if (maxElapsed != null && (maxElapsed.isNegative() || maxElapsed.isZero())) {
      throw new ConfigException("retry.max-elapsed must be > 0, was " + maxElapsed);
    }
    if (maxDelay.isNegative()) {
      throw new ConfigException("retry.max-delay must be >= 0, was " + maxDelay);
    }
  }
}
