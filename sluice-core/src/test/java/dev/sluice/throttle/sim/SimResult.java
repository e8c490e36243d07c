package dev.sluice.throttle.sim;

import java.time.Duration;
import java.util.Locale;

/**
 * The outcome of one simulated run.
 *
 * @param client the client's name
 * @param scenario the scenario
 * @param sent requests sent (some may still be in flight at the end)
 * @param succeeded requests the server admitted
 * @param rejected requests the server answered 429
 * @param goodput admitted requests as a fraction of what the limit allowed over the run
 * @param rejectedShare 429s as a share of the requests the server saw
 * @param rejectionsStopAfter after the limit changed, how long until the 429 share over the next 10
 *     s fell to at most 1%; {@code null} when the limit never changes
 * @param reachedAfter after the limit rose, how long until five seconds in a row averaged 0.9 of
 *     the new limit; {@code null} if it never rose or was never reached
 * @param firstSecondRejected 429s in the first second of the run
 */
public record SimResult(
    String client,
    Scenario scenario,
    long sent,
    long succeeded,
    long rejected,
    double goodput,
    double rejectedShare,
    Duration rejectionsStopAfter,
    Duration reachedAfter,
    long firstSecondRejected) {

  /** One Markdown table row: client, scenario, goodput, rejected, stop time. */
  public String row() {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %.3f | %.2f%% | %d | %s | %s |",
        client,
        scenario.name(),
        goodput,
        rejectedShare * 100,
        firstSecondRejected,
        reachedAfter == null ? "-" : reachedAfter.toSeconds() + " s",
        rejectionsStopAfter == null
            ? "-"
            : String.format(Locale.ROOT, "%.1f s", rejectionsStopAfter.toMillis() / 1000.0));
  }
}
