package dev.sluice.durable;

/**
 * The execution ended in {@link ExecutionState#FAILED}: its handler threw on the last allowed
 * attempt. The message carries the handler's error as recorded in the store.
 */
public final class TaskFailedException extends DurableException {
  private static final long serialVersionUID = 1L;

  /** The execution that failed. */
  private final String executionId;

  /** The error recorded for its last attempt. */
  private final String error;

  /**
   * Creates the exception.
   *
   * @param executionId the execution that failed
   * @param error the recorded error of its last attempt
   */
  public TaskFailedException(ExecutionId executionId, String error) {
    super("execution " + executionId + " failed: " + error);
    this.executionId = executionId.value();
    this.error = error;
  }

  /**
   * The execution that failed.
   *
   * @return its id
   */
  public ExecutionId executionId() {
    return ExecutionId.of(executionId);
  }

  /**
   * The recorded error of the last attempt: the exception class and message.
   *
   * @return the error text
   */
  public String error() {
    return error;
  }
}
