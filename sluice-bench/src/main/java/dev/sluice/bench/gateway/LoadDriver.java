package dev.sluice.bench.gateway;

import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.eclipse.jetty.client.ConnectionPool;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.RoundRobinConnectionPool;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An open-loop HTTP load driver: requests leave at a constant arrival rate whatever the server
 * does, and each latency is measured from the request's <em>intended</em> send time, so a stall
 * counts against every request that should have been sent during it (no coordinated omission).
 *
 * <p>One Jetty {@link HttpClient} with a round-robin pool of {@code connections} HTTP/1.1
 * connections per target, opened before the run: the load is spread over all of them. A request
 * that finds every connection busy waits in the client's queue, and that wait is part of its
 * latency.
 */
final class LoadDriver implements AutoCloseable {
  private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(5);
  private static final long REQUEST_TIMEOUT_SECONDS = 10;
  private static final long DRAIN_SECONDS = 15;

  private final HttpClient client;
  private final int connections;

  LoadDriver(int connections) throws Exception {
    this.connections = connections;
    ClientConnector connector = new ClientConnector();
    connector.setSelectors(1);
    HttpClientTransportOverHTTP transport = new HttpClientTransportOverHTTP(connector);
    transport.setConnectionPoolFactory(
        destination -> new RoundRobinConnectionPool(destination, connections));
    client = new HttpClient(transport);
    QueuedThreadPool threads = new QueuedThreadPool(64);
    threads.setName("load-driver");
    threads.setDaemon(true);
    client.setExecutor(threads);
    client.setMaxConnectionsPerDestination(connections);
    client.setMaxRequestsQueuedPerDestination(1 << 20);
    client.setConnectTimeout(5_000);
    client.setIdleTimeout(300_000);
    client.setFollowRedirects(false);
    client.setUserAgentField(null);
    client.start();
  }

  /**
   * Opens the pool's connections to {@code target} (and checks it answers), so that a run does not
   * measure connection set-up.
   */
  void connect(URI target) throws Exception {
    int status = client.newRequest(target).timeout(10, TimeUnit.SECONDS).send().getStatus();
    if (status != 200) {
      throw new IllegalStateException(target + " answered " + status + " to a first request");
    }
    ConnectionPool pool = client.resolveDestination(client.newRequest(target)).getConnectionPool();
    pool.preCreateConnections(connections).get(30, TimeUnit.SECONDS);
  }

  /**
   * Sends {@code rate} requests per second for {@code seconds}, round robin over {@code targets},
   * and waits for the answers (at most 15 s after the last send).
   */
  LoadResult run(List<URI> targets, int rate, int seconds)
      throws InterruptedException, ExecutionException, TimeoutException {
    Run run = new Run();
    long total = (long) rate * seconds;
    long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    int n = targets.size();
    for (long i = 0; i < total; i++) {
      long intended = start + i * 1_000_000_000L / rate;
      for (long wait = intended - System.nanoTime();
          wait > 0;
          wait = intended - System.nanoTime()) {
        LockSupport.parkNanos(wait);
      }
      run.inFlight.incrementAndGet();
      client
          .newRequest(targets.get((int) (i % n)))
          .timeout(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .send(result -> run.completed(result, intended));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
    while (run.inFlight.get() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    Histogram latency = run.recorder.getIntervalHistogram();
    return new LoadResult(
        rate,
        seconds,
        latency,
        run.admitted.get(),
        run.refused.get(),
        run.other.get(),
        run.failed.get(),
        run.inFlight.get());
  }

  @Override
  public void close() throws Exception {
    client.stop();
  }

  /** The counters of one run; late answers of an earlier run land in that run's counters. */
  private static final class Run {
    final Recorder recorder = new Recorder(HIGHEST_MICROS, 3);
    final AtomicLong inFlight = new AtomicLong();
    final AtomicLong admitted = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong other = new AtomicLong();
    final AtomicLong failed = new AtomicLong();

    void completed(Result result, long intended) {
      long micros = (System.nanoTime() - intended) / 1_000;
      recorder.recordValue(Math.min(Math.max(micros, 0), HIGHEST_MICROS));
      if (result.isFailed()) {
        failed.incrementAndGet();
      } else {
        int status = result.getResponse().getStatus();
        if (status >= 200 && status < 300) {
          admitted.incrementAndGet();
        } else if (status == 429) {
          refused.incrementAndGet();
        } else {
          other.incrementAndGet();
        }
      }
      inFlight.decrementAndGet();
    }
  }
}
