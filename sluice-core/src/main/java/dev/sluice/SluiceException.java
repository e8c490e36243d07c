package dev.sluice;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception Sluice throws on purpose.
 *
 * <p>It is unchecked: flow-control failures (an open circuit, an expired wait, a closed throttle)
 * are outcomes a caller may handle where it makes sense, not at every call site. Catch a specific
 * subclass to act on it (a {@code CircuitOpenException} carries the time to retry after); catch
 * this type to handle everything Sluice decided.
 */
public class SluiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message that says what happened and to what.
   *
   * @param message what went wrong, naming the input, the rule and the value where there are any
   */
  public SluiceException(String message) {
    super(message);
  }

  /**
   * Creates an exception that wraps its cause.
   *
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public SluiceException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
