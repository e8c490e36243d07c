package dev.sluice.bench.throttle.http;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Runs a number of virtual-thread callers, each repeating one call until the run is over. */
final class Callers {
  private Callers() {}

  /**
   * Starts {@code callers} callers that repeat {@code call} until {@code length} has passed or it
   * returns {@code false}; when the time is up, {@code atEnd} wakes callers still waiting.
   */
  static void run(int callers, Duration length, Runnable atEnd, Callable<Boolean> call)
      throws InterruptedException {
    long end = System.nanoTime() + length.toNanos();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < callers; i++) {
        pool.submit(
            () -> {
              while (System.nanoTime() < end && call.call()) {
                // the call itself is the work
              }
              return null;
            });
      }
      pool.shutdown();
      if (!pool.awaitTermination(length.toMillis(), TimeUnit.MILLISECONDS)) {
        atEnd.run();
      }
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  /** Whether the ticker reading {@code end} has passed. */
  static boolean over(long end) {
    return System.nanoTime() >= end;
  }
}
