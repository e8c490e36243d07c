package dev.sluice.durable;

import org.jspecify.annotations.Nullable;

/**
 * The work of one checkpointed step.
 *
 * @param <T> the step's result type
 */
@FunctionalInterface
public interface StepBody<T> {

  /**
   * Does the work once.
   *
   * @return the result to record; {@code null} is recorded too
   * @throws Exception any failure; nothing is recorded and the failure propagates to the handler
   */
  @Nullable T run() throws Exception;
}
