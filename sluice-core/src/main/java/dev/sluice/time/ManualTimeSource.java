package dev.sluice.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A time source whose time moves only when told to, for deterministic tests of timing behaviour.
 *
 * <p>Threads blocked in {@link #sleepUntil}, {@link #awaitUntil} or waiting on a {@link #delay}
 * future wake as soon as {@link #advance} moves time past their deadline, so multi-threaded code
 * can be tested without a single real sleep: start the threads, wait (with Awaitility) until {@link
 * #waiterCount()} shows they are parked, advance, assert.
 *
 * <pre>{@code
 * ManualTimeSource time = new ManualTimeSource();
 * CircuitBreaker breaker = CircuitBreaker.builder().timeSource(time).build();
 * time.advance(Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>The ticker starts at an arbitrary non-zero value so that code treating zero as "never" shows
 * up in tests. The wall clock moves with the ticker, and alone only through {@link #stepWall},
 * which models a wall-clock step (an NTP step, an operator setting the date). It is safe for
 * concurrent use.
 */
public final class ManualTimeSource implements TimeSource {
  /** The default wall-clock start, a fixed instant so test output is repeatable. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private static final long ORIGIN_NANOS = 1_000_000_000_000L;

  private final AtomicLong nanos = new AtomicLong(ORIGIN_NANOS);
  private final Instant wallStart;
  private final AtomicLong wallStepNanos = new AtomicLong();
  private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
  private final PriorityBlockingQueue<Timer> timers = new PriorityBlockingQueue<>();
  private final AtomicLong timerSequence = new AtomicLong();

  /** Creates a time source whose wall clock starts at {@link #DEFAULT_START}. */
  public ManualTimeSource() {
    this(DEFAULT_START);
  }

  /**
   * Creates a time source whose wall clock starts at {@code wallStart}.
   *
   * @param wallStart what {@link #now()} returns until time is advanced
   */
  public ManualTimeSource(Instant wallStart) {
    this.wallStart = Objects.requireNonNull(wallStart, "wallStart");
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public Instant now() {
    return wallStart.plusNanos(nanos.get() - ORIGIN_NANOS).plusNanos(wallStepNanos.get());
  }

  /**
   * Steps the wall clock alone, forward or back, as an NTP step or an operator setting the date
   * would: {@link #now()} moves by {@code step}, the monotonic ticker does not, so no waiter wakes
   * and no delay completes. Steps add up.
   *
   * @param step how far to move the wall clock; negative moves it back
   * @return this, for chaining
   */
  public ManualTimeSource stepWall(Duration step) {
    Objects.requireNonNull(step, "step");
    wallStepNanos.accumulateAndGet(Nanos.saturated(step), Nanos::saturatedAdd);
    return this;
  }

  /**
   * Moves time forward and wakes every waiter whose deadline has come, and completes due {@link
   * #delay} futures in deadline order on the calling thread.
   *
   * @param duration how far to move; must not be negative (the ticker is monotonic)
   * @return this, for chaining
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  public ManualTimeSource advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException(
          "time can only move forward: advance(" + duration + ") is negative");
    }
    return advanceNanos(Nanos.saturated(duration));
  }

  /**
   * Moves time forward by a number of nanoseconds; see {@link #advance(Duration)}.
   *
   * @param delta nanoseconds to move; must not be negative
   * @return this, for chaining
   * @throws IllegalArgumentException if {@code delta} is negative
   */
  public ManualTimeSource advanceNanos(long delta) {
    if (delta < 0) {
      throw new IllegalArgumentException(
          "time can only move forward: advanceNanos(" + delta + ") is negative");
    }
    long now = nanos.accumulateAndGet(delta, Nanos::saturatedAdd);
    wakeWaiters(now);
    fireTimers(now);
    return this;
  }

  /**
   * Counts the threads currently blocked in {@link #sleepUntil} or {@link #awaitUntil}, so a test
   * can wait until its threads are parked before it advances time.
   *
   * @return the number of blocked waiters
   */
  public int waiterCount() {
    return waiters.size();
  }

  /**
   * Counts the {@link #delay} futures not yet completed.
   *
   * @return the number of pending delays
   */
  public int pendingDelays() {
    return timers.size();
  }

  @Override
  public void sleepUntil(long deadlineNanos) throws InterruptedException {
    ReentrantLock lock = new ReentrantLock();
    Condition wake = lock.newCondition();
    lock.lockInterruptibly();
    try {
      while (awaitUntil(lock, wake, deadlineNanos)) {
        // woken early (spuriously): the deadline has not come yet
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean awaitUntil(Lock lock, Condition condition, long deadlineNanos)
      throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    Waiter waiter = new Waiter(deadlineNanos, lock, condition);
    waiters.add(waiter);
    try {
      // registered before this check: an advance after it will signal us under the lock we hold
      if (nanos.get() >= deadlineNanos) {
        return false;
      }
      condition.await();
      return nanos.get() < deadlineNanos;
    } finally {
      waiters.remove(waiter);
    }
  }

  @Override
  public CompletableFuture<Void> delay(Duration delay) {
    long delta = Nanos.saturated(delay);
    if (delta <= 0) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> future = new CompletableFuture<>();
    long deadline = Nanos.saturatedAdd(nanos.get(), delta);
    timers.add(new Timer(deadline, timerSequence.incrementAndGet(), future));
    fireTimers(nanos.get());
    return future;
  }

  private void wakeWaiters(long now) {
    for (Waiter waiter : waiters) {
      if (waiter.deadlineNanos <= now) {
        waiter.lock.lock();
        try {
          waiter.condition.signalAll();
        } finally {
          waiter.lock.unlock();
        }
      }
    }
  }

  private void fireTimers(long now) {
    Timer due;
    while ((due = pollDue(now)) != null) {
      due.future.complete(null);
    }
  }

  private @Nullable Timer pollDue(long now) {
    Timer head = timers.peek();
    if (head == null || head.deadlineNanos > now) {
      return null;
    }
    // another advancing thread may have taken it; remove() tells us who won
    return timers.remove(head) ? head : pollDue(now);
  }

  @Override
  public String toString() {
    return "ManualTimeSource[now=" + now() + ", waiters=" + waiters.size() + "]";
  }

  /** Compared by identity: two waits on the same condition are still two waiters. */
  private static final class Waiter {
    final long deadlineNanos;
    final Lock lock;
    final Condition condition;

    Waiter(long deadlineNanos, Lock lock, Condition condition) {
      this.deadlineNanos = deadlineNanos;
      this.lock = lock;
      this.condition = condition;
    }
  }

  private record Timer(long deadlineNanos, long sequence, CompletableFuture<Void> future)
      implements Comparable<Timer> {
    @Override
    public int compareTo(Timer other) {
      int byDeadline = Long.compare(deadlineNanos, other.deadlineNanos);
      return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
    }
  }
}
