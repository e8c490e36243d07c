package dev.sluice.throttle.sim;

import java.time.Duration;

/**
 * One simulated run: a server with a hidden token-bucket limit and a client population.
 *
 * @param name a short label for tables
 * @param limitPerSecond the server's sustained limit L, requests per second
 * @param burst the bucket's capacity
 * @param latency the mean round trip
 * @param latencySpread the round trip varies uniformly within +-this fraction of the mean
 * @param length how long the run lasts, in simulated time
 * @param halveAt when the limit changes, or {@code null} if it never does
 * @param changeFactor what the limit is multiplied by then: 0.5 halves it, 2 doubles it
 * @param headers what the server says about its limit
 * @param workers how many callers loop over the work
 * @param seed the seed of every random draw in the run
 */
public record Scenario(
    String name,
    double limitPerSecond,
    int burst,
    Duration latency,
    double latencySpread,
    Duration length,
    Duration halveAt,
    double changeFactor,
    SimHeaders headers,
    int workers,
    long seed) {

  /** The four acceptance scenarios: with and without headers, steady and halving mid-run. */
  public static Scenario standard(boolean headers, boolean halving) {
    return new Scenario(
        (headers ? "headers" : "no headers") + (halving ? ", L halves at 5 min" : ""),
        50,
        50,
        Duration.ofMillis(120),
        0.25,
        Duration.ofMinutes(10),
        halving ? Duration.ofMinutes(5) : null,
        0.5,
        headers ? SimHeaders.IETF : SimHeaders.NONE,
        64,
        42);
  }

  /**
   * A cell of the real-HTTP grid, simulated: 64 callers, a 2-minute run, a uniform round trip
   * within +-60% of the mean (the grid's 20-80 ms for 50 ms).
   */
  public static Scenario cell(
      double limit,
      int burst,
      int roundTripMillis,
      SimHeaders headers,
      Duration changeAt,
      double factor) {
    return new Scenario(
        String.format(
            java.util.Locale.ROOT,
            "L=%s burst=%d rtt=%dms %s%s",
            limit,
            burst,
            roundTripMillis,
            headers,
            changeAt == null ? "" : " x" + factor + "@" + changeAt.toSeconds() + "s"),
        limit,
        burst,
        Duration.ofMillis(roundTripMillis),
        0.6,
        Duration.ofMinutes(2),
        changeAt,
        factor,
        headers,
        64,
        42);
  }

  /** The limit in force at {@code elapsed} into the run. */
  public double limitAt(Duration elapsed) {
    return halveAt != null && elapsed.compareTo(halveAt) >= 0
        ? limitPerSecond * changeFactor
        : limitPerSecond;
  }

  /** Requests the limit admits over the whole run, without the initial burst. */
  public double capacity() {
    double seconds = length.toNanos() / 1e9;
    if (halveAt == null) {
      return limitPerSecond * seconds;
    }
    double before = halveAt.toNanos() / 1e9;
    return limitPerSecond * before + limitPerSecond * changeFactor * (seconds - before);
  }
}
