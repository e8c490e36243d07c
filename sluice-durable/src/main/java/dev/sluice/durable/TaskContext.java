package dev.sluice.durable;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a handler can do durably. Each call below is a checkpoint with a deterministic id, the
 * execution plus the call's position in the handler (1, 2, 3, ...): when an execution is run again
 * (after a crash, a lost lease, a retry, or waking from a sleep), every call that was recorded
 * returns its recorded outcome instead of doing its work again. A handler must therefore make the
 * same calls in the same order on every run; a call whose name differs from the recorded one at the
 * same position fails the attempt with a {@link DurableException}.
 *
 * <p>Sleeps, signal waits and child calls that cannot finish at once suspend the execution: it
 * leaves the worker (freeing its slot), and runs again from the top when due, replaying the
 * recorded calls. Suspension is carried by an {@link Error} thrown from these methods; a handler
 * must let it pass (do not catch {@code Throwable} or {@code Error} around them).
 *
 * <p>A context belongs to one run of one execution: call it from the handler's thread (or one
 * thread at a time, in a deterministic order), never after the handler has returned.
 *
 * <p>Every method throws {@link CancelledException} once the execution is cancelled, and {@link
 * LeaseLostException} once this worker has lost it, so a handler stops at its next checkpoint.
 */
public interface TaskContext {

  /**
   * The execution being run.
   *
   * @return its id
   */
  ExecutionId executionId();

  /**
   * The attempt being made, from 1; it grows when a failed attempt is retried, not when a run
   * resumes after a sleep or a crash.
   *
   * @return the attempt number
   */
  int attempt();

  /**
   * Tells whether the execution has been cancelled (seen at the latest heartbeat).
   *
   * @return {@code true} once cancelled
   */
  boolean isCancelled();

  /**
   * Runs {@code body} once and records its result; on a re-run returns the recorded result without
   * running it. A failing body records nothing: the failure propagates and the next attempt runs
   * the body again.
   *
   * @param name the step's name, the same on every run
   * @param type the result class, to read a recorded result back
   * @param body the work
   * @param <T> the result type
   * @return the result, fresh or recorded
   * @throws Exception whatever {@code body} throws
   * @throws LeaseLostException if the result could not be recorded because the lease was lost
   */
  <T> @Nullable T step(String name, Class<T> type, StepBody<T> body) throws Exception;

  /**
   * Starts a child execution of {@code task} (once: its id is derived from this execution and the
   * call's position) and returns its result, suspending this execution until the child ends.
   *
   * @param task the child's task, registered with the engine
   * @param input the child's input
   * @param <I> the input type
   * @param <O> the output type
   * @return the child's result
   * @throws TaskFailedException if the child failed
   * @throws CancelledException if the child was cancelled
   * @throws ExpiryException if the child expired
   */
  <I, O> O call(Task<I, O> task, I input);

  /**
   * A durable timer: the wake-up time is recorded on the first run, so a re-run only waits for what
   * is left. The execution is suspended meanwhile.
   *
   * @param duration how long to sleep, not negative
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  void sleep(Duration duration);

  /**
   * Waits for a signal sent with {@link Durable#send}. Signals are buffered until consumed, so one
   * sent before the wait began is not lost; each signal is consumed by one wait. The deadline is
   * recorded on the first run.
   *
   * @param name the signal name
   * @param type the payload class
   * @param timeout how long to wait, not negative
   * @param <T> the payload type
   * @return the payload
   * @throws ExpiryException if no signal came before the deadline
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  <T> @Nullable T awaitSignal(String name, Class<T> type, Duration timeout);
}
