package dev.sluice.bench.throttle.http;

import dev.sluice.event.ThrottleSlowedDown;
import dev.sluice.event.ThrottleSpedUp;
import dev.sluice.throttle.Adjustment;
import dev.sluice.throttle.Throttle;
import dev.sluice.throttle.ThrottleSnapshot;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints a throttle's slow-downs and a snapshot every second to standard error, each line tagged
 * with the cell and the seconds since the start: the benchmark's {@code --trace}.
 */
final class ThrottleTrace implements AutoCloseable {
  private final ScheduledExecutorService ticker;

  private ThrottleTrace(ScheduledExecutorService ticker) {
    this.ticker = ticker;
  }

  static ThrottleTrace start(Throttle throttle, GridCell cell) {
    long start = System.nanoTime();
    String tag =
        String.format(
            Locale.ROOT,
            "L=%d B=%d rtt=%d %s",
            (long) cell.limit(),
            cell.burst(),
            cell.rttMillis(),
            cell.headers());
    throttle.addListener(
        event -> {
          if (event instanceof ThrottleSlowedDown slowed) {
            print(tag, start, "slow-down " + slowed.change());
          } else if (event instanceof ThrottleSpedUp sped) {
            Adjustment change = sped.change();
            long from = change.oldInterval().toNanos();
            long to = change.newInterval().toNanos();
            if (to == 0
                || from >= 3 * to / 2
                || change.newConcurrency() != change.oldConcurrency()) {
              print(tag, start, "speed-up " + change);
            }
          }
        });
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    ticker.scheduleAtFixedRate(
        () -> {
          ThrottleSnapshot s = throttle.snapshot();
          print(
              tag,
              start,
              String.format(
                  Locale.ROOT,
                  "%s c=%d ceil=%d inflight=%d waiting=%d interval=%.1fms",
                  s.state(),
                  s.concurrency(),
                  s.safeCeiling(),
                  s.inFlight(),
                  s.waiting(),
                  s.dispatchInterval().toNanos() / 1e6));
        },
        1,
        1,
        TimeUnit.SECONDS);
    return new ThrottleTrace(ticker);
  }

  private static void print(String tag, long start, String text) {
    System.err.printf(
        Locale.ROOT, "[%s] %6.2fs %s%n", tag, (System.nanoTime() - start) / 1e9, text);
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }
}
