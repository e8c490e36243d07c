package dev.sluice.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * The one source of time for every Sluice component: a monotonic nanosecond ticker, the wall clock,
 * and the ways to wait for a moment to come.
 *
 * <p>Every timing behaviour in Sluice (breaker delays, retry backoff, throttle pacing, limiter
 * refills, task leases) reads and waits through an instance of this interface, so a test can hand
 * in a {@link ManualTimeSource} and drive time explicitly instead of sleeping. Production code uses
 * {@link #system()}.
 *
 * <p>All waits are virtual-thread friendly: they park through {@code java.util.concurrent}, never
 * inside {@code synchronized}.
 *
 * <pre>{@code
 * TimeSource time = TimeSource.system();
 * long deadline = time.deadlineAfter(Duration.ofMillis(250));
 * time.sleepUntil(deadline);
 * }</pre>
 */
public interface TimeSource {

  /**
   * The real time source: {@link System#nanoTime()} and the UTC system clock.
   *
   * @return the shared system time source
   */
  static TimeSource system() {
    return SystemTimeSource.INSTANCE;
  }

  /**
   * Reads the monotonic ticker. Only differences between two readings mean anything.
   *
   * @return nanoseconds from an arbitrary origin; never decreases
   */
  long nanoTime();

  /**
   * Reads the wall clock, in UTC. Use it for timestamps that leave the process (HTTP dates, rows in
   * a database), never to measure an interval.
   *
   * @return the current instant
   */
  Instant now();

  /**
   * Blocks the calling thread until {@link #nanoTime()} reaches {@code deadlineNanos}. Returns at
   * once when the deadline has passed.
   *
   * @param deadlineNanos a reading of {@link #nanoTime()} to wait for
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  void sleepUntil(long deadlineNanos) throws InterruptedException;

  /**
   * Waits on {@code condition} until it is signalled or the deadline passes, whichever comes first.
   * The caller must hold {@code lock}, the lock {@code condition} belongs to, exactly as for {@link
   * Condition#await()}; it is released while waiting and held again on return. Like any condition
   * wait it may return early, so callers re-check their predicate in a loop.
   *
   * @param lock the lock that owns {@code condition}, held by the caller
   * @param condition the condition to wait on
   * @param deadlineNanos a reading of {@link #nanoTime()} after which to stop waiting
   * @return {@code false} if the deadline had passed when this method returned, {@code true}
   *     otherwise
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  boolean awaitUntil(Lock lock, Condition condition, long deadlineNanos)
      throws InterruptedException;

  /**
   * Returns a future that completes (with {@code null}) once {@code delay} has elapsed on this time
   * source, for asynchronous code that must wait without blocking a thread. Dependent stages of the
   * future may run on the thread that completes it; keep them short or hand them to an executor.
   *
   * @param delay how long to wait; zero or negative completes at once
   * @return a future completed after the delay
   */
  CompletableFuture<Void> delay(Duration delay);

  /**
   * Blocks the calling thread for {@code duration}.
   *
   * @param duration how long to sleep; zero or negative returns at once
   * @throws InterruptedException if the thread is interrupted while sleeping
   */
  default void sleep(Duration duration) throws InterruptedException {
    sleepUntil(deadlineAfter(duration));
  }

  /**
   * Computes the ticker reading {@code duration} from now, saturating instead of overflowing, so a
   * huge timeout means "practically never" rather than a deadline in the past.
   *
   * @param duration how far ahead
   * @return {@link #nanoTime()} plus the duration, clamped to the range of {@code long}
   */
  default long deadlineAfter(Duration duration) {
    return Nanos.saturatedAdd(nanoTime(), Nanos.saturated(duration));
  }
}
