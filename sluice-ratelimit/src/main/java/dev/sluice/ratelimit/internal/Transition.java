package dev.sluice.ratelimit.internal;

import dev.sluice.ratelimit.Limit;

/**
 * One algorithm as a pure state machine over a slice of a {@code long[]}: no clock, no allocation,
 * no locks, integer nanoseconds only, so any store can run it (and a script can mirror it). The
 * caller calls {@link #advance} first, then asks; {@link #take} is only called when {@link
 * #deficit} returned 0, or with a cost no larger than {@link #remaining} when migrating.
 *
 * <p>Not API: shapes may change between releases.
 */
public interface Transition {
  /**
   * The number of longs of state a key needs for the limit.
   *
   * @param limit the limit
   * @return the width of its slice
   */
  int width(Limit limit);

  /**
   * Writes the state of a key never seen (or idle long enough to be whole again).
   *
   * @param limit the limit
   * @param s the state array
   * @param off where the slice starts
   * @param now the current time in nanoseconds
   */
  void init(Limit limit, long[] s, int off, long now);

  /**
   * Brings the state to {@code now} (refills, rolls windows, drops old entries) without changing
   * what it admits.
   *
   * @param limit the limit
   * @param s the state array
   * @param off where the slice starts
   * @param now the current time, never earlier than the time of the previous call
   */
  void advance(Limit limit, long[] s, int off, long now);

  /**
   * How long until {@code cost} permits can be taken.
   *
   * @param limit the limit
   * @param s the state array, advanced to {@code now}
   * @param off where the slice starts
   * @param cost permits wanted, at least 1
   * @param now the current time
   * @return 0 if they can be taken now, nanoseconds to wait otherwise, or {@code Long.MAX_VALUE}
   *     when {@code cost} can never be taken
   */
  long deficit(Limit limit, long[] s, int off, long cost, long now);

  /**
   * Takes {@code cost} permits.
   *
   * @param limit the limit
   * @param s the state array, advanced to {@code now}
   * @param off where the slice starts
   * @param cost permits to take; admissible by {@link #deficit}
   * @param now the current time
   */
  void take(Limit limit, long[] s, int off, long cost, long now);

  /**
   * Permits that can be taken now.
   *
   * @param limit the limit
   * @param s the state array, advanced to {@code now}
   * @param off where the slice starts
   * @param now the current time
   * @return the remaining permits, 0 to the quota (or burst)
   */
  long remaining(Limit limit, long[] s, int off, long now);

  /**
   * Nanoseconds until the limit is whole again if nothing more is taken.
   *
   * @param limit the limit
   * @param s the state array, advanced to {@code now}
   * @param off where the slice starts
   * @param now the current time
   * @return nanoseconds, 0 when already whole
   */
  long resetAfter(Limit limit, long[] s, int off, long now);
}
