package dev.sluice.ratelimit;

import java.util.Locale;

/**
 * How a {@link Limit} counts. All five are exact integer state machines over nanoseconds; they
 * differ in memory per key, in how bursts are treated and in what happens at window edges. See
 * {@code docs/ratelimit.md} for when to choose which.
 */
public enum Algorithm {
  /**
   * A bucket of {@code burst} permits refilled at {@code quota} per {@code window}. Two longs per
   * key. Admits exactly what {@link #GCRA} admits; kept for users who think in buckets.
   */
  TOKEN_BUCKET("token-bucket"),
  /**
   * Generic cell rate algorithm: one theoretical arrival time per key, an emission interval of
   * {@code window / quota} and a burst tolerance of {@code burst} intervals. One long per key; the
   * default.
   */
  GCRA("gcra"),
  /**
   * Two fixed-window counters weighted by the overlap of the sliding window with the previous one
   * (an approximation; never admits more than {@code quota} inside one fixed window). The fixed
   * windows are aligned to UTC (multiples of the window since the Unix epoch). Three longs.
   */
  SLIDING_WINDOW("sliding-window"),
  /**
   * An exact log of admission times: never more than {@code quota} permits in any interval of
   * length {@code window}. Memory grows with the quota ({@code quota + 2} longs per key).
   */
  SLIDING_LOG("sliding-log"),
  /**
   * One counter per window; windows are aligned to UTC (multiples of the window since the Unix
   * epoch, so a day window is a UTC day in every store). Two longs. Across a window edge a client
   * can get up to {@code 2 * quota} permits within one window length.
   */
  FIXED_WINDOW("fixed-window");

  private final String configName;

  Algorithm(String configName) {
    this.configName = configName;
  }

  /**
   * The name used in configuration files, such as {@code token-bucket}.
   *
   * @return the kebab-case name
   */
  public String configName() {
    return configName;
  }

  /**
   * Whether the {@code burst} of a limit means anything for this algorithm.
   *
   * @return true for {@link #TOKEN_BUCKET} and {@link #GCRA}
   */
  public boolean hasBurst() {
    return this == TOKEN_BUCKET || this == GCRA;
  }

  /**
   * Reads an algorithm from its configuration name; the enum constant name is accepted too.
   *
   * @param name such as {@code gcra} or {@code sliding-window}
   * @return the algorithm
   * @throws RateLimitConfigException if the name is unknown; the message lists the known names
   */
  public static Algorithm fromConfigName(String name) {
    if (name != null) {
      String normalized = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
      for (Algorithm algorithm : values()) {
        if (algorithm.configName.equals(normalized)) {
          return algorithm;
        }
      }
    }
    throw new RateLimitConfigException(
        "algorithm must be one of token-bucket, gcra, sliding-window, sliding-log,"
            + " fixed-window, was \""
            + name
            + "\"");
  }
}
