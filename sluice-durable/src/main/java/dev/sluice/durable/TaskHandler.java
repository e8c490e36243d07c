package dev.sluice.durable;

import org.jspecify.annotations.Nullable;

/**
 * The code of a task. It may run more than once for one execution (after a crash, a lost lease or a
 * failed attempt), so it should be deterministic outside its {@link TaskContext} calls: put side
 * effects in {@link TaskContext#step}, which records their results so a re-run returns them instead
 * of repeating the effect.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
@FunctionalInterface
public interface TaskHandler<I, O> {

  /**
   * Runs one attempt of the task.
   *
   * @param context the durable context of this execution: steps, child calls, sleeps, signals
   * @param input the execution's input, read back from JSON
   * @return the result, stored as JSON; {@code null} is a result too
   * @throws Exception any failure; the execution's retry policy decides what happens next
   */
  @Nullable O handle(TaskContext context, I input) throws Exception;
}
