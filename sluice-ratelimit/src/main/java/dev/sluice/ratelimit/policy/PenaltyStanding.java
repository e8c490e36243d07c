package dev.sluice.ratelimit.policy;

/**
 * Where a client stands with progressive penalties at one instant, as a {@link PenaltyStore}
 * reports it: its level and, while it serves a penalty, how long that penalty has left. Durations
 * rather than instants, so a store that keeps its own clock (Redis) answers in the caller's terms.
 *
 * @param level the client's remembered level, 0 when none
 * @param remainingNanos how long the penalty it serves has left, 0 when it serves none
 */
public record PenaltyStanding(int level, long remainingNanos) {
  /** A client with no penalty and no level remembered. */
  public static final PenaltyStanding CLEAR = new PenaltyStanding(0, 0);

  /**
   * Validates the figures.
   *
   * @throws IllegalArgumentException if either is negative
   */
  public PenaltyStanding {
    if (level < 0 || remainingNanos < 0) {
      throw new IllegalArgumentException(
          "penalty standing must not be negative, was level "
              + level
              + ", remaining "
              + remainingNanos
              + " ns");
    }
  }

  /**
   * Whether the client is serving a penalty, and must be refused.
   *
   * @return true while a penalty has time left
   */
  public boolean penalized() {
    return remainingNanos > 0;
  }
}
