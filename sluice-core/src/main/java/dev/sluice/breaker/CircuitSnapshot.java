package dev.sluice.breaker;

import java.time.Duration;

/**
 * A breaker's state and counts at one moment, for dashboards, logs and tests.
 *
 * @param name the breaker's name
 * @param state the state
 * @param retryAfter how long until a call may be admitted; zero when one would be now
 * @param openDelay the open delay the next trip or failed probe starts from (it doubles on each
 *     failed probe, up to the cap, and goes back to the base when the breaker closes)
 * @param consecutiveFailures failures in a row while closed
 * @param windowCalls calls in the failure-rate window while closed
 * @param windowFailureRate the failure rate in percent over that window, or -1 below the minimum
 *     number of calls (or without a rate rule)
 * @param windowSlowCallRate the slow-call rate in percent, or -1 as for the failure rate
 * @param probesInFlight half-open probes admitted and not yet reported
 * @param probeSuccesses half-open probes that succeeded in this half-open period
 * @param counts totals since the breaker was built
 */
public record CircuitSnapshot(
    String name,
    CircuitState state,
    Duration retryAfter,
    Duration openDelay,
    int consecutiveFailures,
    int windowCalls,
    float windowFailureRate,
    float windowSlowCallRate,
    int probesInFlight,
    int probeSuccesses,
    Counts counts) {

  /**
   * Totals since the breaker was built. Every admitted call ends up in exactly one of successes,
   * failures and ignored once it is reported, so {@code permitted == successes + failures + ignored
   * + unreported}.
   *
   * @param permitted calls admitted
   * @param rejected calls rejected
   * @param successes calls reported as successes
   * @param failures calls reported as failures
   * @param ignored calls reported as ignored (or closed unreported)
   * @param probesReclaimed half-open probes whose permit was taken back after the probe timeout
   */
  public record Counts(
      long permitted,
      long rejected,
      long successes,
      long failures,
      long ignored,
      long probesReclaimed) {}
}
