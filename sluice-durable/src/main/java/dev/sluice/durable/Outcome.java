package dev.sluice.durable;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an execution has come to so far, as {@link Durable#resultOf} reads it: its state and, once
 * it is terminal, its result or error. {@link #get()} turns a terminal outcome into the result or
 * the same exception {@link Durable#waitFor} throws, so both APIs agree on every state.
 *
 * @param <O> the result type
 */
public final class Outcome<O> {
  private final ExecutionId executionId;
  private final ExecutionState state;
  private final @Nullable O value;
  private final @Nullable String error;

  Outcome(
      ExecutionId executionId, ExecutionState state, @Nullable O value, @Nullable String error) {
    this.executionId = Objects.requireNonNull(executionId, "executionId");
    this.state = Objects.requireNonNull(state, "state");
    this.value = value;
    this.error = error;
  }

  /**
   * The execution this outcome is of.
   *
   * @return its id
   */
  public ExecutionId executionId() {
    return executionId;
  }

  /**
   * The state when it was read.
   *
   * @return the state
   */
  public ExecutionState state() {
    return state;
  }

  /**
   * Tells whether the execution has ended (COMPLETED, FAILED, CANCELLED or EXPIRED).
   *
   * @return {@code true} once terminal
   */
  public boolean isDone() {
    return state.isTerminal();
  }

  /**
   * The recorded error, for FAILED and EXPIRED, or of the last failed attempt while retrying.
   *
   * @return the error text, or {@code null}
   */
  public @Nullable String error() {
    return error;
  }

  /**
   * The result of a completed execution; for any other terminal state, the exception {@link
   * Durable#waitFor} throws for it.
   *
   * @return the result, which may be {@code null}, {@code 0}, {@code false} or empty
   * @throws TaskFailedException if it FAILED
   * @throws CancelledException if it was CANCELLED
   * @throws ExpiryException if it EXPIRED
   * @throws IllegalStateException if it has not ended yet
   */
  public @Nullable O get() {
    return switch (state) {
      case COMPLETED -> value;
      case FAILED -> throw new TaskFailedException(executionId, error);
      case CANCELLED -> throw new CancelledException(executionId);
      case EXPIRED ->
          throw new ExpiryException(
              "execution "
                  + executionId
                  + " expired: its maximum duration passed before it finished");
      case PENDING, RUNNING ->
          throw new IllegalStateException(
              "execution " + executionId + " has not ended: it is " + state);
    };
  }

  @Override
  public String toString() {
    return "Outcome[" + executionId + " " + state + (error == null ? "" : " " + error) + "]";
  }
}
