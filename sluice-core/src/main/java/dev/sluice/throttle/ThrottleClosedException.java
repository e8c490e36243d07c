package dev.sluice.throttle;

import dev.sluice.SluiceException;

/** Thrown by an acquire on a throttle that is closed or draining; in-flight work is unaffected. */
public final class ThrottleClosedException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param state the state that rejected the acquire ({@code CLOSED} or {@code DRAINING})
   */
  public ThrottleClosedException(ThrottleState state) {
    super("throttle is " + state + ": no new acquires are accepted");
  }
}
