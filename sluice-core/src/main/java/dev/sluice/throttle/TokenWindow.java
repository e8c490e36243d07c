package dev.sluice.throttle;

import dev.sluice.time.TimeSource;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A rolling token budget that reserves before the call and reconciles after it.
 *
 * <p>A caller reserves its estimate; the reservation counts against the budget at once, so
 * concurrent callers cannot all see the same free budget and overshoot it together (checking before
 * the call and charging after it does exactly that). When the call ends, the caller reports the
 * actual count and the reservation is corrected in place. The tokens spent in any window therefore
 * exceed the budget by at most the callers' under-estimates.
 *
 * <p>Callers that do not fit wait in arrival order: only the head of the queue waits for budget
 * (until the oldest spending leaves the window, or a reconciliation frees some), the others wait to
 * become the head, so a large request is not starved by a stream of small ones.
 */
final class TokenWindow {
  private final TimeSource time;
  private final long budget;
  private final long windowNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Spend> spends = new ArrayDeque<>();
  private final ArrayDeque<Condition> queue = new ArrayDeque<>();
  private long used;

  TokenWindow(TimeSource time, TokenBudget config) {
    this.time = time;
    this.budget = config.tokens();
    this.windowNanos = config.window().toNanos();
  }

  /** One reservation in the window; its amount is corrected when the call reports its count. */
  static final class Spend {
    final long at;
    long amount;
    boolean expired;

    Spend(long at, long amount) {
      this.at = at;
      this.amount = amount;
    }
  }

  /**
   * Reserves {@code estimate} tokens, waiting in line until they fit or the deadline passes.
   *
   * @return the reservation, or {@code null} if the deadline passed first
   * @throws IllegalArgumentException if the estimate can never fit in the budget
   * @throws InterruptedException if interrupted while waiting; nothing is reserved then
   */
  @Nullable Spend reserve(long estimate, long deadlineNanos) throws InterruptedException {
    if (estimate > budget) {
      throw new IllegalArgumentException(
          "estimated tokens must be <= throttle.token-budget.tokens ("
              + budget
              + "), was "
              + estimate);
    }
    if (estimate < 0) {
      throw new IllegalArgumentException("estimated tokens must be >= 0, was " + estimate);
    }
    lock.lock();
    try {
      long now = time.nanoTime();
      if (queue.isEmpty() && fits(estimate, now)) {
        return spend(estimate, now);
      }
      Condition turn = lock.newCondition();
      queue.addLast(turn);
      try {
        while (true) {
          now = time.nanoTime();
          boolean head = queue.peekFirst() == turn;
          if (head && fits(estimate, now)) {
            queue.pollFirst();
            signalHead();
            return spend(estimate, now);
          }
          long wakeAt = head ? Math.min(deadlineNanos, oldestExpiry()) : deadlineNanos;
          if (!time.awaitUntil(lock, turn, wakeAt) && time.nanoTime() >= deadlineNanos) {
            if (queue.peekFirst() == turn && fits(estimate, time.nanoTime())) {
              queue.pollFirst();
              signalHead();
              return spend(estimate, time.nanoTime());
            }
            return null;
          }
        }
      } finally {
        if (queue.remove(turn)) {
          signalHead();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Replaces a reservation's estimate with the actual count. */
  void reconcile(Spend spend, long actual) {
    lock.lock();
    try {
      if (!spend.expired) {
        used += actual - spend.amount;
      }
      long old = spend.amount;
      spend.amount = actual;
      if (actual < old) {
        signalHead();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Tokens spent or reserved in the current window. */
  long used() {
    lock.lock();
    try {
      prune(time.nanoTime());
      return used;
    } finally {
      lock.unlock();
    }
  }

  long remaining() {
    return Math.max(0, budget - used());
  }

  int waiting() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  private boolean fits(long estimate, long now) {
    prune(now);
    return used + estimate <= budget;
  }

  private Spend spend(long estimate, long now) {
    Spend spend = new Spend(now, estimate);
    spends.addLast(spend);
    used += estimate;
    return spend;
  }

  private long oldestExpiry() {
    Spend oldest = spends.peekFirst();
    return oldest == null ? Long.MAX_VALUE : oldest.at + windowNanos;
  }

  private void prune(long now) {
    while (!spends.isEmpty() && now - spends.peekFirst().at >= windowNanos) {
      Spend gone = spends.pollFirst();
      gone.expired = true;
      used -= gone.amount;
    }
  }

  private void signalHead() {
    Condition head = queue.peekFirst();
    if (head != null) {
      head.signal();
    }
  }
}
