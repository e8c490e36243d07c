package dev.sluice.bench.throttle.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/** One way of calling the test server: the throttle under test, the oracle or a baseline. */
interface GridClient {
  /** The row label. */
  String name();

  /**
   * Runs {@code callers} virtual-thread callers against {@code uri} until {@code length} has
   * passed, each one sending GET requests one after the other through this client.
   */
  void run(HttpClient http, URI uri, int callers, Duration length, GridCell cell)
      throws InterruptedException;
}
