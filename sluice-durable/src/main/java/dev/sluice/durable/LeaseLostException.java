package dev.sluice.durable;

/**
 * This worker no longer holds the lease on the execution it is running: the lease expired and
 * another worker claimed it, or the execution ended (cancelled, expired) meanwhile. Thrown inside a
 * handler by the {@link TaskContext} when a checkpoint write is refused, so the handler stops; the
 * refused write changed nothing.
 */
public final class LeaseLostException extends DurableException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which execution, which lease and what write was refused
   */
  public LeaseLostException(String message) {
    super(message);
  }
}
