package dev.sluice.retry;

import dev.sluice.SluiceException;

/**
 * Thrown by {@link RetryPolicy#execute} when it gives up on a checked exception (unchecked ones are
 * rethrown as they are) or when it is interrupted while waiting; the cause is the last failure.
 */
public final class RetryException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /** Why the policy stopped, or {@code null} when interrupted. */
  private final RetryDecision.Reason reason;

  /**
   * Creates the exception.
   *
   * @param message what happened
   * @param reason why the policy stopped, or {@code null} when it was interrupted
   * @param cause the last failure
   */
  public RetryException(String message, RetryDecision.Reason reason, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /**
   * Why the policy stopped.
   *
   * @return the reason, or {@code null} when the wait was interrupted
   */
  public RetryDecision.Reason reason() {
    return reason;
  }
}
