package dev.sluice.bench.throttle.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The oracle: it is told the server's limit at every moment and spaces requests exactly 1/L apart
 * by reserving slots, as a perfectly informed fixed-rate limiter would.
 */
final class FixedRateClient implements GridClient {
  @Override
  public String name() {
    return "fixed-rate oracle";
  }

  @Override
  public void run(HttpClient http, URI uri, int callers, Duration length, GridCell cell)
      throws InterruptedException {
    long start = System.nanoTime();
    long end = start + length.toNanos();
    AtomicLong next = new AtomicLong(start);
    Callers.run(
        callers,
        length,
        () -> {},
        () -> {
          long now = System.nanoTime();
          double limit =
              cell.changeAt() != null && now - start >= cell.changeAt().toNanos()
                  ? cell.limit() * cell.factor()
                  : cell.limit();
          long interval = (long) (1e9 / limit);
          long slot =
              Math.max(now, next.getAndUpdate(v -> Math.max(v, System.nanoTime()) + interval));
          if (slot >= end) {
            return false;
          }
          while (System.nanoTime() < slot) {
            LockSupport.parkNanos(slot - System.nanoTime());
          }
          http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
          return true;
        });
  }
}
