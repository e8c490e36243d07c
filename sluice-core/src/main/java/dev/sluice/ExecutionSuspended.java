package dev.sluice;

/**
 * Unwinds a call that has not finished but has not failed either: a durable handler that sleeps,
 * waits for a signal or for a child execution throws a subclass of this to hand its thread back.
 *
 * <p>Every policy recognises it as <em>not an outcome</em>: a {@link dev.sluice.throttle.Throttle}
 * permit and a {@link dev.sluice.breaker.CircuitBreaker} permit are given back without a verdict, a
 * {@link dev.sluice.retry.RetryPolicy} neither retries it nor reports it as an attempt, and {@link
 * PolicyChain} lets it through unchanged. So a suspending handler composes with any policy and
 * waiting never slows a throttle down or opens a breaker.
 *
 * <p>It is an {@link Error} so that a handler's own {@code catch (Exception e)} does not swallow
 * it; code that catches {@code Throwable} must rethrow it.
 */
public abstract class ExecutionSuspended extends Error {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the signal; it carries no stack trace, since it is control flow, not a failure.
   *
   * @param message what the execution waits for
   */
  protected ExecutionSuspended(String message) {
    super(message, null, false, false);
  }
}
