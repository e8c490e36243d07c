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
 * @param rejectionsStopAfter after the limit halved, how long until the last 429; {@code null} when
 *     the limit never halves
 */
public record SimResult(
    String client,
    Scenario scenario,
    long sent,
    long succeeded,
    long rejected,
    double goodput,
    double rejectedShare,
    Duration rejectionsStopAfter) {

  /** One Markdown table row: client, scenario, goodput, rejected, stop time. */
  public String row() {
    return String.format(
        Locale.ROOT,
        "| %s | %s | %.3f | %.2f%% | %s |",
        client,
        scenario.name(),
        goodput,
        rejectedShare * 100,
        rejectionsStopAfter == null
            ? "-"
            : String.format(Locale.ROOT, "%.1f s", rejectionsStopAfter.toMillis() / 1000.0));
  }
}
