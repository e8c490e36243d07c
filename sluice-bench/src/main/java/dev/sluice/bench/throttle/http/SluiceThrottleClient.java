package dev.sluice.bench.throttle.http;

import dev.sluice.throttle.Permit;
import dev.sluice.throttle.Throttle;
import dev.sluice.throttle.ThrottleClosedException;
import dev.sluice.throttle.ThrottleConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The throttle as a new user writes it from docs/throttle.md: default config plus {@code
 * maxConcurrency(32)}, the permit API, every response's headers recorded, a 429 as a failure.
 */
final class SluiceThrottleClient implements GridClient {
  private final boolean trace;

  /**
   * @param trace whether to print the throttle's adjustments and a snapshot every second to
   *     standard error, for reading how a cell went
   */
  SluiceThrottleClient(boolean trace) {
    this.trace = trace;
  }

  @Override
  public String name() {
    return "Sluice throttle";
  }

  @Override
  public void run(HttpClient http, URI uri, int callers, Duration length, GridCell cell)
      throws InterruptedException {
    Throttle throttle = Throttle.create(ThrottleConfig.builder().maxConcurrency(32).build());
    ThrottleTrace tracer = trace ? ThrottleTrace.start(throttle, cell) : null;
    long end = System.nanoTime() + length.toNanos();
    Callers.run(
        callers,
        length,
        throttle::close, // wakes callers still waiting for a slot
        () -> {
          try (Permit permit = throttle.acquire()) {
            if (Callers.over(end)) {
              permit.recordIgnored();
              return false;
            }
            HttpResponse<Void> response =
                http.send(
                    HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
            permit.recordHeaders(response.headers().map());
            if (response.statusCode() == 429) {
              permit.recordFailure(new IOException("HTTP 429"));
            } else {
              permit.recordSuccess();
            }
            return true;
          } catch (ThrottleClosedException e) {
            return false;
          }
        });
    throttle.close();
    if (tracer != null) {
      tracer.close();
    }
  }
}
