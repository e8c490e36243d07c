package dev.sluice.durable;

/**
 * A wait ran out of time, or an execution outlived its maximum duration.
 *
 * <p>{@link Durable#waitFor} throws it when its timeout passes before the execution ends (it never
 * returns a still-pending state), and for an execution in state {@link ExecutionState#EXPIRED}.
 * {@link TaskContext#awaitSignal} throws it inside a handler when no signal came in time.
 */
public final class ExpiryException extends DurableException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what expired and after how long
   */
  public ExpiryException(String message) {
    super(message);
  }
}
