package dev.sluice.durable;

/**
 * The execution was cancelled. {@link Durable#waitFor} and {@link Outcome#get()} throw it for a
 * cancelled execution; inside a handler, every {@link TaskContext} operation throws it once the
 * execution has been cancelled, so the handler stops at its next step.
 */
public final class CancelledException extends DurableException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param executionId the execution that was cancelled
   */
  public CancelledException(ExecutionId executionId) {
    super("execution " + executionId + " was cancelled");
  }
}
