package dev.sluice.redis;

import dev.sluice.SluiceException;

/** A Redis store could not be set up (the first connection failed), or Redis replied nonsense. */
public final class RedisStoreException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, and where
   * @param cause the underlying failure
   */
  public RedisStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
