package dev.sluice.breaker;

import org.jspecify.annotations.Nullable;

/**
 * The right to make one call through a {@link CircuitBreaker}, and the duty to report its outcome
 * once. Obtained with {@link CircuitBreaker#acquire()} or {@link CircuitBreaker#tryAcquire()} by
 * components that run calls themselves (the throttle does).
 *
 * <p>Exactly one report counts: the first of {@link #recordSuccess}, {@link #recordFailure}, {@link
 * #recordIgnored}, {@link #recordOutcome} or {@link #close}; later ones return {@code false} and
 * change nothing. A half-open probe that is ignored, closed unreported, or never reported at all
 * gives its permit back (the last one after the breaker's probe timeout), so a breaker can never
 * stay stuck in half-open state. The words are those of a throttle's {@link
 * dev.sluice.throttle.Permit}: one outcome vocabulary (success, failure, ignored) across the
 * policies.
 *
 * <pre>{@code
 * try (CircuitPermit permit = breaker.acquire()) {
 *   Response response = client.send(request);
 *   permit.recordOutcome(null, response);
 * }
 * }</pre>
 */
public interface CircuitPermit extends AutoCloseable {

  /**
   * Reports that the call succeeded.
   *
   * @return {@code true} if this was the permit's first report
   */
  boolean recordSuccess();

  /**
   * Reports that the call failed, whatever the breaker's failure rules say.
   *
   * @return {@code true} if this was the permit's first report
   */
  boolean recordFailure();

  /**
   * Reports that the call's outcome says nothing about the service's health (it was cancelled, or
   * failed for a reason of the caller's own): the permit is given back, nothing is recorded.
   *
   * @return {@code true} if this was the permit's first report
   */
  boolean recordIgnored();

  /**
   * Reports an outcome and lets the breaker's rules classify it: a failure is ignored if an ignore
   * rule matches it, recorded if a record rule matches it, and a success otherwise; a result is a
   * failure if a failure-result rule matches it. Cancellation and interruption are always ignored.
   *
   * @param failureOrNull the call's failure, or {@code null} if it returned
   * @param resultOrNull the call's result
   * @return {@code true} if this was the permit's first report
   */
  boolean recordOutcome(@Nullable Throwable failureOrNull, @Nullable Object resultOrNull);

  /** Gives the permit back, as {@link #recordIgnored()}, if no outcome was reported. */
  @Override
  void close();
}
