package dev.sluice.client;

import dev.sluice.breaker.CircuitBreaker;
import dev.sluice.retry.RetryPolicy;
import dev.sluice.throttle.Throttle;
import dev.sluice.time.TimeSource;
import java.util.Objects;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * The settings both gentle clients take, {@link GentleHttpClient} and {@link GentleInterceptor}:
 * any subset of a throttle, a breaker and a retry policy, which statuses are failures, and the
 * clock for HTTP-date {@code Retry-After}s. Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class GentleBuilder<B extends GentleBuilder<B>> {
  private @Nullable Throttle throttle;
  private @Nullable CircuitBreaker breaker;
  private @Nullable RetryPolicy retry;
  private IntPredicate failureStatus = status -> status == 429 || status >= 500;
  private TimeSource time = TimeSource.system();

  GentleBuilder() {}

  /**
   * Paces every attempt through {@code throttle}, innermost: a permit is held only while a request
   * is on the wire, and each response's headers reach it.
   *
   * @param throttle the throttle; it may be shared with other clients
   * @return this builder
   * @throws NullPointerException if {@code throttle} is null
   */
  public B throttle(Throttle throttle) {
    this.throttle = Objects.requireNonNull(throttle, "client.throttle");
    return self();
  }

  /**
   * Counts every attempt's outcome in {@code breaker}, which refuses attempts while open.
   *
   * @param breaker the breaker
   * @return this builder
   * @throws NullPointerException if {@code breaker} is null
   */
  public B breaker(CircuitBreaker breaker) {
    this.breaker = Objects.requireNonNull(breaker, "client.breaker");
    return self();
  }

  /**
   * Retries failed attempts within {@code retry}, waiting at least what a response's {@code
   * Retry-After} (or an open breaker) asks; the policy's own Retry-After readings are kept.
   *
   * @param retry the retry policy
   * @return this builder
   * @throws NullPointerException if {@code retry} is null
   */
  public B retry(RetryPolicy retry) {
    this.retry = Objects.requireNonNull(retry, "client.retry");
    return self();
  }

  /**
   * Which statuses are failures: slowed down for, counted by the breaker and retried. By default
   * 429 and every 5xx.
   *
   * @param failureStatus tests a status code
   * @return this builder
   * @throws NullPointerException if {@code failureStatus} is null
   */
  public B failureStatus(IntPredicate failureStatus) {
    this.failureStatus = Objects.requireNonNull(failureStatus, "client.failure-status");
    return self();
  }

  /**
   * The wall clock that turns an HTTP-date {@code Retry-After} into a delay.
   *
   * @param time the time source; the system's by default
   * @return this builder
   * @throws NullPointerException if {@code time} is null
   */
  public B timeSource(TimeSource time) {
    this.time = Objects.requireNonNull(time, "client.time-source");
    return self();
  }

  abstract B self();

  @Nullable Throttle throttle() {
    return throttle;
  }

  CallRules rules() {
    return new CallRules(retry, breaker, failureStatus, time);
  }
}
