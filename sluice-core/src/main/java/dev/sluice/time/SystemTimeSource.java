package dev.sluice.time;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/** Real time: {@link System#nanoTime()}, the UTC clock and real parking. */
final class SystemTimeSource implements TimeSource {
  static final SystemTimeSource INSTANCE = new SystemTimeSource();

  private SystemTimeSource() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public void sleepUntil(long deadlineNanos) throws InterruptedException {
    long remaining;
    while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(remaining);
    }
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
  }

  @Override
  public boolean awaitUntil(Lock lock, Condition condition, long deadlineNanos)
      throws InterruptedException {
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      return false;
    }
    condition.awaitNanos(remaining);
    return deadlineNanos - System.nanoTime() > 0;
  }

  @Override
  public CompletableFuture<Void> delay(Duration delay) {
    long nanos = Nanos.saturated(delay);
    if (nanos <= 0) {
      return CompletableFuture.completedFuture(null);
    }
    return new CompletableFuture<Void>().completeOnTimeout(null, nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public String toString() {
    return "TimeSource.system()";
  }
}
