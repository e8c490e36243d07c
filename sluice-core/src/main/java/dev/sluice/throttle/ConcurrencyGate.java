package dev.sluice.throttle;

import dev.sluice.time.TimeSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A semaphore whose limit can change while callers hold or wait for slots, with first-come
 * first-served waiting for blocked threads and for futures alike.
 *
 * <p>The uncontended path is one compare-and-set to acquire and one to release. Callers that cannot
 * get a slot queue under a lock; a release hands the slot straight to the head of the queue. Each
 * blocked thread waits on its own condition, so a release wakes exactly one thread even with
 * thousands of virtual threads waiting. The limit may drop below the number in flight: the gate
 * then admits nobody until enough slots come back.
 */
final class ConcurrencyGate {
  private final TimeSource time;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger queued = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
  private volatile int limit;
  private volatile boolean closed;
  private volatile boolean drainWaiting;

  ConcurrencyGate(TimeSource time, int limit) {
    this.time = time;
    this.limit = limit;
  }

  /** A queued caller: a blocked thread (with its condition) or a future. */
  private static final class Waiter {
    final @Nullable Condition condition;
    final @Nullable CompletableFuture<Void> future;
    boolean granted;

    Waiter(@Nullable Condition condition, @Nullable CompletableFuture<Void> future) {
      this.condition = condition;
      this.future = future;
    }
  }

  /** What a blocking acquire ended with. */
  enum Result {
    ACQUIRED,
    TIMED_OUT,
    CLOSED
  }

  /** Takes a slot now if one is free and nobody is queued ahead. */
  boolean tryAcquire() {
    return queued.get() == 0 && !closed && tryIncrement();
  }

  private boolean tryIncrement() {
    while (true) {
      int current = inFlight.get();
      if (current >= limit) {
        return false;
      }
      if (inFlight.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  /**
   * Waits for a slot until the deadline.
   *
   * @param deadlineNanos a ticker reading; {@link Long#MAX_VALUE} waits for ever
   * @return whether a slot was acquired, or why not
   * @throws InterruptedException if interrupted while waiting; no slot is held then
   */
  Result acquire(long deadlineNanos) throws InterruptedException {
    if (closed) {
      return Result.CLOSED;
    }
    if (tryAcquire()) {
      return Result.ACQUIRED;
    }
    List<CompletableFuture<Void>> handOffs = List.of();
    Waiter waiter = new Waiter(lock.newCondition(), null);
    lock.lock();
    try {
      queue.addLast(waiter);
      queued.incrementAndGet();
      handOffs = grantLocked();
      while (!waiter.granted) {
        if (closed) {
          dequeue(waiter);
          return Result.CLOSED;
        }
        if (!time.awaitUntil(lock, waiter.condition, deadlineNanos) && !waiter.granted) {
          dequeue(waiter);
          return Result.TIMED_OUT;
        }
      }
      return Result.ACQUIRED;
    } catch (InterruptedException e) {
      if (waiter.granted) {
        releaseLocked();
      } else {
        dequeue(waiter);
      }
      throw e;
    } finally {
      lock.unlock();
      complete(handOffs);
    }
  }

  /**
   * Returns a future completed when a slot is granted, first come first served, or failed with
   * {@link ThrottleClosedException}'s cause when the gate closes first. Cancelling the future gives
   * back a slot granted to it.
   */
  CompletableFuture<Void> acquireAsync() {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("closed"));
    }
    if (tryAcquire()) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> future = new CompletableFuture<>();
    List<CompletableFuture<Void>> handOffs;
    lock.lock();
    try {
      queue.addLast(new Waiter(null, future));
      queued.incrementAndGet();
      handOffs = grantLocked();
    } finally {
      lock.unlock();
    }
    complete(handOffs);
    return future;
  }

  /** Gives a slot back and hands it to the head of the queue, if any. */
  void release() {
    inFlight.decrementAndGet();
    // read after the decrement: a waiter that queued before it sees our slot or is seen here
    if (queued.get() > 0 || drainWaiting) {
      List<CompletableFuture<Void>> handOffs;
      lock.lock();
      try {
        handOffs = grantLocked();
        if (inFlight.get() == 0) {
          idle.signalAll();
        }
      } finally {
        lock.unlock();
      }
      complete(handOffs);
    }
  }

  private void releaseLocked() {
    inFlight.decrementAndGet();
    List<CompletableFuture<Void>> handOffs = grantLocked();
    if (!handOffs.isEmpty()) {
      // completing runs dependants; never under our lock
      Thread.startVirtualThread(() -> complete(handOffs));
    }
    if (inFlight.get() == 0) {
      idle.signalAll();
    }
  }

  /** Changes the limit; a higher limit admits queued callers at once. */
  void setLimit(int newLimit) {
    int old = limit;
    limit = newLimit;
    if (newLimit > old && queued.get() > 0) {
      List<CompletableFuture<Void>> handOffs;
      lock.lock();
      try {
        handOffs = grantLocked();
      } finally {
        lock.unlock();
      }
      complete(handOffs);
    }
  }

  /** Rejects every queued and future caller; slots already held stay held. */
  void close() {
    closed = true;
    List<CompletableFuture<Void>> rejected = new ArrayList<>();
    lock.lock();
    try {
      for (Waiter waiter : queue) {
        if (waiter.future != null) {
          rejected.add(waiter.future);
        } else {
          waiter.condition.signal();
        }
      }
      queue.removeIf(w -> w.future != null);
      queued.set(queue.size());
    } finally {
      lock.unlock();
    }
    for (CompletableFuture<Void> future : rejected) {
      future.completeExceptionally(new IllegalStateException("closed"));
    }
  }

  /**
   * Waits until nothing is in flight, without polling.
   *
   * @return {@code true} if idle, {@code false} if the deadline passed first
   */
  boolean awaitIdle(long deadlineNanos) throws InterruptedException {
    drainWaiting = true;
    lock.lock();
    try {
      while (inFlight.get() > 0) {
        if (!time.awaitUntil(lock, idle, deadlineNanos) && inFlight.get() > 0) {
          return false;
        }
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private List<CompletableFuture<Void>> grantLocked() {
    List<CompletableFuture<Void>> handOffs = null;
    while (!queue.isEmpty() && !closed && tryIncrement()) {
      Waiter head = queue.pollFirst();
      queued.decrementAndGet();
      head.granted = true;
      if (head.future != null) {
        if (handOffs == null) {
          handOffs = new ArrayList<>();
        }
        handOffs.add(head.future);
      } else {
        head.condition.signal();
      }
    }
    return handOffs == null ? List.of() : handOffs;
  }

  private void dequeue(Waiter waiter) {
    if (queue.remove(waiter)) {
      queued.decrementAndGet();
    }
  }

  private void complete(List<CompletableFuture<Void>> handOffs) {
    for (CompletableFuture<Void> future : handOffs) {
      if (!future.complete(null)) {
        release(); // the caller cancelled: the slot goes to the next in line
      }
    }
  }

  int inFlight() {
    return inFlight.get();
  }

  int queued() {
    return queued.get();
  }

  int limit() {
    return limit;
  }
}
