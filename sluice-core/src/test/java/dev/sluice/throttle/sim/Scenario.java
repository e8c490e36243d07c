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
 * @param halveAt when the limit halves, or {@code null} if it never does
 * @param headers whether the server sends RateLimit, RateLimit-Policy and Retry-After
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
    boolean headers,
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
        headers,
        64,
        42);
  }

  /** The limit in force at {@code elapsed} into the run. */
  public double limitAt(Duration elapsed) {
    return halveAt != null && elapsed.compareTo(halveAt) >= 0 ? limitPerSecond / 2 : limitPerSecond;
  }

  /** Requests the limit admits over the whole run, without the initial burst. */
  public double capacity() {
    double seconds = length.toNanos() / 1e9;
    if (halveAt == null) {
      return limitPerSecond * seconds;
    }
    double before = halveAt.toNanos() / 1e9;
    return limitPerSecond * before + limitPerSecond / 2 * (seconds - before);
  }
}
