package dev.sluice.ratelimit.internal;

import dev.sluice.ratelimit.Decision;

/**
 * The state of one key after an allowed decision, as an in-process store keeps it: the decision
 * itself is the state, so deciding costs one object. A snapshot never changes; a store replaces it
 * whole.
 *
 * <p>Not API: shapes may change between releases.
 */
public interface Snapshot extends Decision {
  /**
   * The time the decision was made at; later decisions on the key act no earlier than this.
   *
   * @return the caller's time, UTC nanoseconds since the epoch
   */
  long nowNanos();

  /**
   * The time at which every limit is whole again if nothing more is taken; from then on the state
   * equals a fresh one and may be forgotten.
   *
   * @return the caller's time, UTC nanoseconds since the epoch
   */
  long wholeAt();

  /**
   * The state as the {@link Evaluator} reads it, for the general path (a changed list of limits).
   *
   * @return the state array of {@link #limits()}; do not modify
   */
  long[] state();
}
