package dev.sluice.bench.gateway;

import org.HdrHistogram.Histogram;

/**
 * What one open-loop run measured: the latency of every completed request from its intended send
 * time (microseconds), and how the requests ended.
 *
 * @param rate the arrival rate asked for, requests per second
 * @param seconds the length of the run
 * @param latency latencies in microseconds, from the intended send time to the response's end
 * @param admitted responses 2xx
 * @param refused responses 429
 * @param otherStatus any other status (5xx, 4xx other than 429)
 * @param failed requests that got no response (connection error, timeout)
 * @param unfinished requests still in flight when the run gave up waiting for them
 */
record LoadResult(
    int rate,
    double seconds,
    Histogram latency,
    long admitted,
    long refused,
    long otherStatus,
    long failed,
    long unfinished) {

  /** Requests that ended in anything but 200 or 429, or did not end. */
  long errors() {
    return otherStatus + failed + unfinished;
  }

  /** The latency at {@code percentile} (0–100), in milliseconds. */
  double millis(double percentile) {
    return latency.getValueAtPercentile(percentile) / 1000.0;
  }

  /** The longest latency, in milliseconds. */
  double maxMillis() {
    return latency.getMaxValue() / 1000.0;
  }

  /** Responses per second over the run. */
  double throughput() {
    return (admitted + refused + otherStatus) / seconds;
  }

  @Override
  public String toString() {
    return String.format(
        "%,d req/s for %.0f s: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms;"
            + " %,d admitted, %,d refused, %,d other, %,d failed, %,d unfinished",
        rate,
        seconds,
        millis(50),
        millis(95),
        millis(99),
        millis(99.9),
        maxMillis(),
        admitted,
        refused,
        otherStatus,
        failed,
        unfinished);
  }
}
