package dev.sluice;

/**
 * Carries a checked exception out of {@link PolicyChain#get} and {@link PolicyChain#run}: the one
 * rule for checked exceptions in Sluice's composition API is that unchecked failures and errors of
 * the call are rethrown as they are, and a checked one is wrapped in this exception, its {@link
 * #getCause() cause}. An {@link InterruptedException} is wrapped the same way, with the thread's
 * interrupt flag set again.
 */
public final class CallFailedException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /**
   * Wraps a checked failure.
   *
   * @param cause the call's checked exception
   */
  public CallFailedException(Exception cause) {
    super(cause.getClass().getName() + ": " + cause.getMessage(), cause);
  }
}
