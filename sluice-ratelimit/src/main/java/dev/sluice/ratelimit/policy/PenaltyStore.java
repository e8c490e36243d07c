package dev.sluice.ratelimit.policy;

/**
 * Where a {@link PolicyEnforcer} keeps clients' violations and progressive penalties. The default
 * ({@link #inMemory}) keeps them in the process; a shared store (such as {@code sluice-redis}'s,
 * from {@code RedisStore.penalties}) keeps them where several processes see them, so a penalty
 * follows a client from one node to another.
 *
 * <p>Every implementation follows the semantics of {@link Penalty}: {@code threshold} violations
 * within {@code window} start a penalty one level higher than the last, if that one ended less than
 * {@code resetAfter} ago, else at level 1; a violation while a penalty is in force is no new
 * offence. Times are the caller's ticker readings ({@link dev.sluice.time.TimeSource#nanoTime()});
 * a shared store may read a clock of its own instead, which is why answers are durations.
 *
 * <pre>{@code
 * PolicyEnforcer enforcer =
 *     PolicyEnforcer.create(policy, limiter, PenaltyStore.inMemory(100_000));
 * }</pre>
 *
 * <p>Implementations are safe for concurrent use, and a violation is counted atomically.
 */
public interface PenaltyStore {

  /**
   * An in-memory store that remembers up to {@code maxClients} clients, dropping the ones whose
   * level is forgotten first.
   *
   * @param maxClients the most clients remembered, at least 1
   * @return a new store
   * @throws IllegalArgumentException if {@code maxClients} is below 1
   */
  static PenaltyStore inMemory(long maxClients) {
    if (maxClients < 1) {
      throw new IllegalArgumentException("maxPenalizedClients must be >= 1, was " + maxClients);
    }
    return new PenaltyBox(maxClients);
  }

  /**
   * Looks a client up without changing anything.
   *
   * @param client the client's identity ({@link Request#identity()})
   * @param nowNanos the caller's ticker reading
   * @return its level and the time its penalty has left
   */
  PenaltyStanding check(String client, long nowNanos);

  /**
   * Counts one violation (a denied request) and tells where the client stands after it.
   *
   * @param client the client's identity
   * @param penalty the penalty settings in force
   * @param nowNanos the caller's ticker reading
   * @return its level after the violation, and the time left of the penalty it started (or was
   *     already serving)
   */
  PenaltyStanding recordViolation(String client, Penalty penalty, long nowNanos);

  /**
   * The figures for metrics. A shared store reports what this process knows (the penalties it saw
   * in force, the ones its violations started); see the implementation.
   *
   * @param nowNanos the caller's ticker reading
   * @return the figures at this instant
   */
  PenaltyStats stats(long nowNanos);
}
