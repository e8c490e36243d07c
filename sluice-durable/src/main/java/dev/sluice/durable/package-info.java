/**
 * Durable execution: tasks whose executions, checkpointed steps, timers and signals live in a
 * store, so they survive a crash of the process that runs them.
 *
 * <p>Start with {@link dev.sluice.durable.Durable}: register {@link dev.sluice.durable.Task}s,
 * dispatch them, run them with {@link dev.sluice.durable.Worker}s, and wait for their results. A
 * handler's side effects go in {@link dev.sluice.durable.TaskContext#step}, which records them
 * under a deterministic id so a re-run returns the recorded result instead of repeating the effect.
 * Every write a worker makes after claiming an execution is fenced by its lease.
 */
@NullMarked
package dev.sluice.durable;

import org.jspecify.annotations.NullMarked;
