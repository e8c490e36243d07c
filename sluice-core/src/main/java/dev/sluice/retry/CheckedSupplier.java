package dev.sluice.retry;

/**
 * A piece of work that returns a result and may throw, for {@link RetryPolicy#execute}.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface CheckedSupplier<T> {
  /**
   * Runs the work once.
   *
   * @return the result
   * @throws Exception whatever the work throws
   */
  T get() throws Exception;
}
