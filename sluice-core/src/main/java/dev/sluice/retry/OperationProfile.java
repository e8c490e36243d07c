package dev.sluice.retry;

import dev.sluice.ConfigException;
import java.time.Duration;
import java.util.Objects;

/**
 * A named preset of the general retry policy for one {@link OperationType}: a strategy, a {@link
 * RetrySchedule} and, for deferred work, how long to defer it. Presets are plain data; override any
 * part with the {@code with...} methods or replace a profile in {@link OperationProfiles}.
 *
 * <table>
 *   <caption>The presets</caption>
 *   <tr><th>operation</th><th>strategy</th><th>attempts</th><th>backoff</th><th>defer</th></tr>
 *   <tr><td>DOWNLOAD</td><td>RETRY</td><td>6</td><td>exp. 500 ms x2 to 30 s, full jitter</td>
 *       <td>-</td></tr>
 *   <tr><td>EXTRACT</td><td>RETRY</td><td>3</td><td>exp. 1 s x2 to 10 s, full jitter</td>
 *       <td>-</td></tr>
 *   <tr><td>RESOLVE</td><td>FAILOVER</td><td>2 per alternative</td>
 *       <td>exp. 200 ms x2 to 2 s, full jitter</td><td>-</td></tr>
 *   <tr><td>VALIDATE</td><td>DEFER</td><td>1</td><td>none</td><td>5 min</td></tr>
 *   <tr><td>MANIFEST_FETCH</td><td>DEFER</td><td>1</td><td>none</td><td>1 min</td></tr>
 * </table>
 *
 * <p>Every preset caps any delay (Retry-After included) at 2 minutes and, asked for more, waits the
 * cap. Which failures are retryable is the caller's to say ({@code policy().toBuilder()
 * .retryOn(...)}); the core knows nothing of HTTP.
 *
 * @param operation the kind of work
 * @param strategy what to do after a failure
 * @param schedule attempts and delays (for FAILOVER: per alternative)
 * @param deferDelay for DEFER, how long to put the work aside; zero otherwise
 */
public record OperationProfile(
    OperationType operation, Strategy strategy, RetrySchedule schedule, Duration deferDelay) {

  /** What a profile does after a failure. */
  public enum Strategy {
    /** Retry the same call after the backoff. */
    RETRY,
    /** Do not retry now: hand the work back to be run again after {@code deferDelay}. */
    DEFER,
    /** Try the next alternative in order (see {@link Failover}). */
    FAILOVER
  }

  private static final Duration CAP = Duration.ofMinutes(2);

  /**
   * Validates the profile.
   *
   * @throws ConfigException if the defer delay is negative
   */
  public OperationProfile {
    Objects.requireNonNull(operation, "retry.profile.operation");
    Objects.requireNonNull(strategy, "retry.profile.strategy");
    Objects.requireNonNull(schedule, "retry.profile.schedule");
    Objects.requireNonNull(deferDelay, "retry.profile.defer-delay");
    if (deferDelay.isNegative()) {
      throw new ConfigException("retry.profile.defer-delay must be >= 0, was " + deferDelay);
    }
  }

  /**
   * The preset for an operation, as in the table above.
   *
   * @param operation the kind of work
   * @return its preset profile
   */
  public static OperationProfile preset(OperationType operation) {
    return switch (Objects.requireNonNull(operation, "operation")) {
      case DOWNLOAD -> retrying(operation, Strategy.RETRY, 6, ms(500), Duration.ofSeconds(30));
      case EXTRACT -> retrying(operation, Strategy.RETRY, 3, ms(1000), Duration.ofSeconds(10));
      case RESOLVE -> retrying(operation, Strategy.FAILOVER, 2, ms(200), Duration.ofSeconds(2));
      case VALIDATE -> deferring(operation, Duration.ofMinutes(5));
      case MANIFEST_FETCH -> deferring(operation, Duration.ofMinutes(1));
    };
  }

  /**
   * A retry policy with this profile's schedule, retrying on any exception; refine it with {@code
   * toBuilder()}.
   *
   * @return the policy
   */
  public RetryPolicy policy() {
    return RetryPolicy.of(schedule);
  }

  /**
   * This profile with another schedule.
   *
   * @param schedule the schedule
   * @return a new profile
   */
  public OperationProfile withSchedule(RetrySchedule schedule) {
    return new OperationProfile(operation, strategy, schedule, deferDelay);
  }

  /**
   * This profile with another number of attempts.
   *
   * @param maxAttempts at least 1
   * @return a new profile
   * @throws ConfigException if below 1
   */
  public OperationProfile withMaxAttempts(int maxAttempts) {
    return withSchedule(
        new RetrySchedule(
            maxAttempts,
            schedule.maxElapsed(),
            schedule.backoff(),
            schedule.maxDelay(),
            schedule.overMaxDelay()));
  }

  /**
   * This profile with another defer delay.
   *
   * @param deferDelay not negative
   * @return a new profile
   * @throws ConfigException if negative
   */
  public OperationProfile withDeferDelay(Duration deferDelay) {
    return new OperationProfile(operation, strategy, schedule, deferDelay);
  }

  private static OperationProfile retrying(
      OperationType operation, Strategy strategy, int attempts, Duration initial, Duration max) {
    Backoff backoff = Backoff.exponential(initial, 2, max).withJitter(Jitter.FULL);
    return new OperationProfile(
        operation,
        strategy,
        new RetrySchedule(attempts, null, backoff, CAP, RetrySchedule.OverMaxDelay.CAP),
        Duration.ZERO);
  }

  private static OperationProfile deferring(OperationType operation, Duration deferDelay) {
    return new OperationProfile(
        operation,
        Strategy.DEFER,
        new RetrySchedule(
            1, null, Backoff.fixed(Duration.ZERO), CAP, RetrySchedule.OverMaxDelay.CAP),
        deferDelay);
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }
}
