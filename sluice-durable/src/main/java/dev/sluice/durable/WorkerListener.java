package dev.sluice.durable;

/**
 * Hears what a {@link Worker} does: each claim round, and each run it starts and how that run ends.
 * Every method has an empty default, so implement only what you need; register with {@link
 * WorkerConfig.Builder#listener}. {@code sluice-metrics}' {@code WorkerMetrics} is one.
 *
 * <p>Methods run on the worker's threads (the poll thread for claims, the run's own virtual thread
 * for its events, the heartbeat thread for a heartbeat refused), never under a lock of the worker,
 * and the worker waits for them: keep them short. One that throws is logged (the first time at
 * {@code WARNING}, later at {@code DEBUG}) and the worker carries on.
 *
 * <p>A run that {@link #onStarted started} ends in at most one of {@link #onCompleted}, {@link
 * #onFailed} or a refused final write ({@link #onWriteRefused}); a run that suspends (a sleep, a
 * signal wait, a child call) or is handed back at shutdown reports no outcome, and starts again as
 * a new run when claimed again.
 */
public interface WorkerListener {

  /**
   * A claim query returned, whether or not it found work. A query that failed is logged and not
   * reported.
   *
   * @param claimed how many executions it claimed, 0 or more
   * @param claimNanos how long the query took, on the engine's {@link dev.sluice.time.TimeSource}
   */
  default void onClaim(int claimed, long claimNanos) {}

  /**
   * A claimed execution's run began, on its own virtual thread, before its handler is called.
   *
   * <p>{@code dispatchToStartNanos} is the stored row's start of the claim ({@code startedAt})
   * minus the time it was due ({@code scheduledFor}), at the rows' millisecond resolution and never
   * negative: for a first attempt, the wait from dispatch (or its delay or not-before) to the
   * claim; for a retry, from the end of its backoff; for an execution woken from a sleep or a
   * signal wait, from its wake-up; for one reclaimed after its worker's lease lapsed, from when it
   * was due before that lost run.
   *
   * @param run the run
   * @param dispatchToStartNanos how long the execution waited, due, before this run claimed it
   */
  default void onStarted(ExecutionRun run, long dispatchToStartNanos) {}

  /**
   * The run's result was written: the execution is COMPLETED.
   *
   * @param run the run
   */
  default void onCompleted(ExecutionRun run) {}

  /**
   * The run's handler failed and the failure was written.
   *
   * @param run the run
   * @param failure what the handler threw
   * @param retrying {@code true} if another attempt will start after the retry schedule's delay
   *     (the execution is PENDING), {@code false} if the execution failed for good: it is FAILED
   *     and dead-lettered
   */
  default void onFailed(ExecutionRun run, Throwable failure, boolean retrying) {}

  /**
   * The worker learned that the run no longer holds its lease: a heartbeat or another fenced write
   * was refused. Reported once per run, at the first refusal; not for executions the worker hands
   * back at shutdown.
   *
   * @param run the run
   * @param cancelled {@code true} if the execution was cancelled (the refusal is cancellation at
   *     work), {@code false} if the lease lapsed and another worker may hold it, or it ended
   */
  default void onLeaseLost(ExecutionRun run, boolean cancelled) {}

  /**
   * A write naming the run's lease changed nothing because the lease is no longer held. Each
   * refusal is reported, so the calls add up to {@link Worker#rejectedWrites()}.
   *
   * @param run the run
   * @param write what was refused, one of {@code heartbeat}, {@code checkpoint} (of a step, a
   *     sleep, a signal or a child call), {@code completion}, {@code retry}, {@code failure} and
   *     {@code suspension}
   */
  default void onWriteRefused(ExecutionRun run, String write) {}
}
