package dev.sluice.ratelimit.policy;

import java.util.Arrays;

/**
 * Progressive penalties of a {@link PolicyEnforcer} at one instant: clients serving a penalty by
 * level, penalties started by level since the enforcer was created, and how many clients' records
 * are kept. Levels above {@link #MAX_LEVEL} are counted at {@code MAX_LEVEL}.
 *
 * <pre>{@code
 * PenaltyStats stats = enforcer.penaltyStats();
 * long serving = stats.active();
 * long secondOffences = stats.started(2);
 * }</pre>
 */
public final class PenaltyStats {
  /** The highest level counted apart; higher levels are counted with it. */
  public static final int MAX_LEVEL = 16;

  private final long tracked;
  private final long[] active;
  private final long[] started;

  PenaltyStats(long tracked, long[] active, long[] started) {
    this.tracked = tracked;
    this.active = active.clone();
    this.started = started.clone();
  }

  /**
   * Clients whose violations or penalty level are remembered (at most the enforcer's bound).
   *
   * @return the clients tracked
   */
  public long tracked() {
    return tracked;
  }

  /**
   * Clients serving a penalty now, at every level.
   *
   * @return the clients penalized now
   */
  public long active() {
    return Arrays.stream(active).sum();
  }

  /**
   * Clients serving a penalty of one level now.
   *
   * @param level 1 to {@link #MAX_LEVEL} ({@code MAX_LEVEL} counts that level and above)
   * @return the clients penalized at that level
   * @throws IllegalArgumentException if the level is out of range
   */
  public long active(int level) {
    return active[index(level)];
  }

  /**
   * Penalties started at one level since the enforcer was created.
   *
   * @param level 1 to {@link #MAX_LEVEL} ({@code MAX_LEVEL} counts that level and above)
   * @return the penalties started at that level
   * @throws IllegalArgumentException if the level is out of range
   */
  public long started(int level) {
    return started[index(level)];
  }

  /**
   * Figures a {@link PenaltyStore} has gathered.
   *
   * @param tracked the clients whose record is kept
   * @param active clients serving a penalty, indexed by level ({@code active[1]} for level 1, index
   *     0 unused), at most {@link #MAX_LEVEL} + 1 entries; shorter arrays count 0 above their end
   * @param started penalties started, indexed the same way
   * @return the figures
   * @throws IllegalArgumentException if an array is longer than {@code MAX_LEVEL + 1} or a figure
   *     is negative
   */
  public static PenaltyStats of(long tracked, long[] active, long[] started) {
    return new PenaltyStats(tracked, levels("active", active), levels("started", started));
  }

  private static long[] levels(String name, long[] given) {
    if (given.length > MAX_LEVEL + 1) {
      throw new IllegalArgumentException(
          "penalty stats " + name + " has " + given.length + " levels, at most " + (MAX_LEVEL + 1));
    }
    long[] all = new long[MAX_LEVEL + 1];
    for (int i = 1; i < given.length; i++) {
      if (given[i] < 0) {
        throw new IllegalArgumentException(
            "penalty stats " + name + "[" + i + "] must be >= 0, was " + given[i]);
      }
      all[i] = given[i];
    }
    return all;
  }

  static int index(int level) {
    if (level < 1 || level > MAX_LEVEL) {
      throw new IllegalArgumentException(
          "penalty level must be in 1.." + MAX_LEVEL + ", was " + level);
    }
    return level;
  }

  @Override
  public String toString() {
    return "PenaltyStats[tracked="
        + tracked
        + ", active="
        + Arrays.toString(Arrays.copyOfRange(active, 1, active.length))
        + ", started="
        + Arrays.toString(Arrays.copyOfRange(started, 1, started.length))
        + "]";
  }
}
