package dev.sluice.durable;

import java.util.Locale;

/**
 * Where an execution is in its life.
 *
 * <p>{@link #PENDING} and {@link #RUNNING} are live; the other four are terminal: once there, an
 * execution never moves again (a dead letter that is replayed is the one exception, and only on
 * request). A late write from a worker that lost its lease cannot change a terminal state.
 */
public enum ExecutionState {
  /** Waiting to be claimed: new, delayed, retrying after a failure, or asleep in a durable wait. */
  PENDING,
  /** Claimed by a worker that holds a lease on it. */
  RUNNING,
  /** Finished with a result (which may be {@code null}, {@code 0}, {@code false} or empty). */
  COMPLETED,
  /** Failed on its last allowed attempt; a dead letter records it. */
  FAILED,
  /** Cancelled on request; terminal, whatever its handler does afterwards. */
  CANCELLED,
  /** Not finished within its maximum duration. */
  EXPIRED;

  /**
   * Tells whether the execution can still change.
   *
   * @return {@code true} for COMPLETED, FAILED, CANCELLED and EXPIRED
   */
  public boolean isTerminal() {
    return this != PENDING && this != RUNNING;
  }

  /**
   * The name stored in the database: the lower-case constant name.
   *
   * @return the stored form
   */
  public String storedName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a stored name back.
   *
   * @param stored the stored form, as written by {@link #storedName()}
   * @return the state
   * @throws IllegalArgumentException if {@code stored} names no state
   */
  public static ExecutionState fromStored(String stored) {
    return valueOf(stored.toUpperCase(Locale.ROOT));
  }
}
