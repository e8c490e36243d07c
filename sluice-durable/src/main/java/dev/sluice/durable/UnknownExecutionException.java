package dev.sluice.durable;

/** No execution with the given id exists in the store (never dispatched, or purged). */
public final class UnknownExecutionException extends DurableException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param executionId the id that was looked up
   */
  public UnknownExecutionException(ExecutionId executionId) {
    super("no execution with id " + executionId);
  }
}
