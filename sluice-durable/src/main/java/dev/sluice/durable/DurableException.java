package dev.sluice.durable;

import dev.sluice.SluiceException;

/**
 * The root of the exceptions the durable engine throws: a store that cannot be read or written, a
 * handler that is not deterministic, a task that is not registered.
 */
public class DurableException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what went wrong and to which execution
   */
  public DurableException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what went wrong and to which execution
   * @param cause the underlying failure
   */
  public DurableException(String message, Throwable cause) {
    super(message, cause);
  }
}
