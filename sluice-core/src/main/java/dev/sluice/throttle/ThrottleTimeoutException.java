package dev.sluice.throttle;

import dev.sluice.SluiceException;
import java.time.Duration;

/**
 * Thrown when an acquire with a timeout could not get a permit in time (concurrency, token budget
 * or dispatch slot). Nothing was reserved: the caller may try again later.
 */
public final class ThrottleTimeoutException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param timeout the timeout that expired
   * @param waitingFor what the caller was still waiting for
   */
  public ThrottleTimeoutException(Duration timeout, String waitingFor) {
    super("no permit within " + timeout + ": still waiting for " + waitingFor);
  }
}
