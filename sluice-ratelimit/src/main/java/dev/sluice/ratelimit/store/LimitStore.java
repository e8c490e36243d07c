package dev.sluice.ratelimit.store;

import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import java.util.List;

/**
 * Where the state of rate-limited keys lives. A store makes the whole decision itself, atomically:
 * it reads the key's state, runs every limit's algorithm, and writes the new state only when every
 * limit admits the cost. That is one compare-and-set loop in {@link MemoryStore} and one script
 * evaluation in a remote store, never a read-modify-write split across calls.
 *
 * <p><b>Time.</b> {@code nowNanos} is UTC time in nanoseconds since the Unix epoch, advancing
 * monotonically: what an {@link dev.sluice.time.EpochClock} reads, as {@link
 * dev.sluice.ratelimit.RateLimiter} hands it. A store aligns clock-aligned windows (fixed and
 * sliding) to multiples of their length in this time, so they fall on UTC boundaries (a day window
 * is a UTC day), and measures every interval (refills, emission intervals, retry-after) as a
 * difference of two such values. Readings of concurrent callers may arrive slightly out of order: a
 * store acts, for each key, at the latest time it has seen for that key, so time never goes back
 * for a key. A store that keeps its own clock (a Redis server, whose {@code TIME} is also UTC since
 * the epoch) may use it instead of {@code nowNanos}; it then reports times relative to that clock.
 *
 * <p>Implementations are safe for concurrent use.
 */
public interface LimitStore {
  /**
   * Decides whether {@code cost} permits may be taken from every limit of {@code key}, and takes
   * them from all of them if so.
   *
   * <p>State is matched to limits by id: a limit equal to the one last used with this key keeps its
   * counters; a changed limit keeps its used permits, clamped to its new capacity; a new limit
   * starts whole.
   *
   * @param key the client, endpoint or other thing being limited
   * @param limits the limits of the key: 1 to 64, with distinct ids
   * @param cost permits wanted, at least 1
   * @param nowNanos the caller's time: UTC nanoseconds since the Unix epoch, advancing
   *     monotonically (see the class comment)
   * @return the decision
   */
  Decision decide(String key, List<Limit> limits, long cost, long nowNanos);

  /**
   * The number of keys currently holding state, for bounds checks and metrics.
   *
   * @return the number of tracked keys; an estimate while other threads write
   */
  long size();
}
