package dev.sluice.gateway;

import dev.sluice.SluiceException;

/** The gateway could not do what was asked: a listener did not open, there is no file to reload. */
public final class GatewayException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /**
   * An error with its cause.
   *
   * @param message what failed
   * @param cause why
   */
  public GatewayException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * An error without a cause.
   *
   * @param message what failed
   */
  public GatewayException(String message) {
    super(message);
  }
}
