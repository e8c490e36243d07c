package dev.sluice.durable;

import java.util.Objects;
import java.util.UUID;

/**
 * The identity of one execution of a task: the handle a caller keeps after {@link Durable#dispatch}
 * to wait for, query, signal or cancel it.
 *
 * <p>Root executions get a random UUID. A child started by {@link TaskContext#call} gets a
 * deterministic id, its parent's id plus the step sequence ({@code <parent>.<seq>}), so a parent
 * that is run again after a crash finds the same child instead of starting a second one.
 *
 * @param value the id as stored; never blank
 */
public record ExecutionId(String value) {

  /**
   * Validates the id.
   *
   * @throws IllegalArgumentException if {@code value} is blank
   */
  public ExecutionId {
    Objects.requireNonNull(value, "execution id");
    if (value.isBlank()) {
      throw new IllegalArgumentException("execution id must not be blank, was \"" + value + "\"");
    }
  }

  /**
   * Wraps an id read from elsewhere (a log line, a command line).
   *
   * @param value the id
   * @return the execution id
   * @throws IllegalArgumentException if {@code value} is blank
   */
  public static ExecutionId of(String value) {
    return new ExecutionId(value);
  }

  /**
   * Creates a fresh random id for a root execution.
   *
   * @return a new id
   */
  public static ExecutionId random() {
    return new ExecutionId(UUID.randomUUID().toString());
  }

  /**
   * The id of the child that step {@code sequence} of this execution starts.
   *
   * @param sequence the parent's step sequence number
   * @return the deterministic child id
   */
  public ExecutionId child(int sequence) {
    return new ExecutionId(value + "." + sequence);
  }

  @Override
  public String toString() {
    return value;
  }
}
