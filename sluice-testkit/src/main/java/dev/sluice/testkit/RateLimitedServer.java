package dev.sluice.testkit;

import dev.sluice.time.TimeSource;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real HTTP server on loopback with a limit it may or may not announce, for testing and
 * benchmarking clients that must find and hold a rate: a token bucket or a fixed window, a
 * processing delay drawn per request, a schedule of limit changes, the rate-limit headers of a
 * chosen API dialect, and counts of what it admitted and refused in every second.
 *
 * <pre>{@code
 * try (RateLimitedServer server =
 *     RateLimitedServer.builder().rate(50).burst(10).dialect(RateLimitDialect.OPENAI).start()) {
 *   HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri()).build(), ofString());
 *   long[] admitted = server.admittedBySecond();
 * }
 * }</pre>
 *
 * <p>Every request is decided when it arrives; a refused one consumes nothing. The response, 200 or
 * 429, leaves after the drawn latency, from a scheduler, so no server thread waits meanwhile and
 * any number of callers are served concurrently.
 */
public final class RateLimitedServer implements AutoCloseable {
  private static final byte[] OK = "ok\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] REFUSED = "too many requests\n".getBytes(StandardCharsets.US_ASCII);

  private final RateLimiterState state;
  private final RateLimitDialect dialect;
  private final boolean retryAfterOn429;
  private final long minLatencyNanos;
  private final long maxLatencyNanos;
  private final Server server;
  private final ServerConnector connector;
  private final ScheduledExecutorService responder;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  private RateLimitedServer(Builder b) throws Exception {
    this.state =
        new RateLimiterState(
            b.time, b.algorithm, b.rate, b.burst, b.window.toNanos(), b.changes, b.tokensPerMinute);
    this.dialect = b.dialect;
    this.retryAfterOn429 = b.retryAfterOn429;
    this.minLatencyNanos = b.minLatency.toNanos();
    this.maxLatencyNanos = b.maxLatency.toNanos();
    this.responder = Executors.newSingleThreadScheduledExecutor(RateLimitedServer::daemon);
    this.server = new Server();
    this.connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new Limited());
    server.start();
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task, "rate-limited-server-responder");
    thread.setDaemon(true);
    return thread;
  }

  /**
   * Starts a builder: a token bucket of 10 per second with a burst of 10, no latency, no headers.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The server's address.
   *
   * @return {@code http://127.0.0.1:<port>/}
   */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
  }

  /**
   * Requests admitted in each whole second since the start, up to now.
   *
   * @return one count per second
   */
  public long[] admittedBySecond() {
    return state.perSecond(true);
  }

  /**
   * Requests refused (429) in each whole second since the start, up to now.
   *
   * @return one count per second
   */
  public long[] refusedBySecond() {
    return state.perSecond(false);
  }

  /**
   * Every request admitted so far.
   *
   * @return the count
   */
  public long admitted() {
    return state.total(true);
  }

  /**
   * Every request refused so far.
   *
   * @return the count
   */
  public long refused() {
    return state.total(false);
  }

  /**
   * The most requests that were inside the server (decided, response not yet sent) at once.
   *
   * @return the count
   */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /** Stops the server; responses still waiting for their latency are dropped. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("RateLimitedServer did not stop", e);
    } finally {
      responder.shutdownNow();
    }
  }

  private final class Limited extends Handler.Abstract.NonBlocking {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      long cost;
      try {
        String header = request.getHeaders().get("X-Cost-Tokens");
        cost = header == null ? 0 : Long.parseLong(header.strip());
        if (cost < 0) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        response.setStatus(400);
        response.write(
            true,
            ByteBuffer.wrap(
                "X-Cost-Tokens must be a whole number >= 0\n".getBytes(StandardCharsets.US_ASCII)),
            callback);
        return true;
      }
      RateDecision decision = state.decide(cost);
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      response.setStatus(decision.admitted() ? 200 : 429);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
      RateLimitHeaders.write(
          dialect,
          retryAfterOn429,
          decision,
          (name, value) -> response.getHeaders().add(name, value));
      byte[] body = decision.admitted() ? OK : REFUSED;
      Runnable send =
          () -> {
            inFlight.decrementAndGet();
            response.write(true, ByteBuffer.wrap(body), callback);
          };
      long delay =
          maxLatencyNanos <= minLatencyNanos
              ? minLatencyNanos
              : ThreadLocalRandom.current().nextLong(minLatencyNanos, maxLatencyNanos + 1);
      if (delay <= 0) {
        send.run();
      } else {
        responder.schedule(send, delay, TimeUnit.NANOSECONDS);
      }
      return true;
    }
  }

  /** Collects the settings and checks them once, in {@link #start()}. */
  public static final class Builder {
    private RateLimitAlgorithm algorithm = RateLimitAlgorithm.TOKEN_BUCKET;
    private double rate = 10;
    private Double burst;
    private Duration window = Duration.ofSeconds(1);
    private Duration minLatency = Duration.ZERO;
    private Duration maxLatency = Duration.ZERO;
    private final List<RateLimitChange> changes = new ArrayList<>();
    private RateLimitDialect dialect = RateLimitDialect.NONE;
    private boolean retryAfterOn429;
    private long tokensPerMinute;
    private TimeSource time = TimeSource.system();

    private Builder() {}

    /**
     * Sets the algorithm.
     *
     * @param value token bucket (default) or fixed window
     * @return this builder
     */
    public Builder algorithm(RateLimitAlgorithm value) {
      this.algorithm = Objects.requireNonNull(value, "RateLimitedServer.algorithm");
      return this;
    }

    /**
     * Sets the sustained limit: tokens per second, or, for a fixed window, the quota per second of
     * window.
     *
     * @param perSecond greater than 0
     * @return this builder
     */
    public Builder rate(double perSecond) {
      this.rate = perSecond;
      return this;
    }

    /**
     * Sets the bucket's capacity; defaults to the rate (at least 1).
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder burst(double value) {
      this.burst = value;
      return this;
    }

    /**
     * Sets the fixed window's length.
     *
     * @param value positive; default 1 s
     * @return this builder
     */
    public Builder window(Duration value) {
      this.window = Objects.requireNonNull(value, "RateLimitedServer.window");
      return this;
    }

    /**
     * Sets the processing delay, drawn uniformly from [min, max] for every response.
     *
     * @param min at least 0
     * @param max at least {@code min}
     * @return this builder
     */
    public Builder latency(Duration min, Duration max) {
      this.minLatency = Objects.requireNonNull(min, "RateLimitedServer.latency min");
      this.maxLatency = Objects.requireNonNull(max, "RateLimitedServer.latency max");
      return this;
    }

    /**
     * Changes the limit at {@code offset} after the start; the bucket keeps its tokens, capped at
     * the new burst.
     *
     * @param offset when, after the start
     * @param newRate the new rate, greater than 0
     * @param newBurst the new burst, at least 1
     * @return this builder
     */
    public Builder change(Duration offset, double newRate, double newBurst) {
      changes.add(new RateLimitChange(Objects.requireNonNull(offset, "offset"), newRate, newBurst));
      return this;
    }

    /**
     * Sets the header dialect written on every response.
     *
     * @param value the dialect; default none
     * @return this builder
     */
    public Builder dialect(RateLimitDialect value) {
      this.dialect = Objects.requireNonNull(value, "RateLimitedServer.dialect");
      return this;
    }

    /**
     * Adds {@code Retry-After} (whole seconds, rounded up) to every 429, whatever the dialect.
     *
     * @param value whether to
     * @return this builder
     */
    public Builder retryAfterOn429(boolean value) {
      this.retryAfterOn429 = value;
      return this;
    }

    /**
     * Adds a token quota (an LLM's tokens per minute): a request costs its {@code X-Cost-Tokens}.
     *
     * @param value tokens per minute; 0 (default) for none
     * @return this builder
     */
    public Builder tokensPerMinute(long value) {
      this.tokensPerMinute = value;
      return this;
    }

    /**
     * Sets the time source of the limiter's arithmetic.
     *
     * @param value the time source; default the system's
     * @return this builder
     */
    public Builder timeSource(TimeSource value) {
      this.time = Objects.requireNonNull(value, "RateLimitedServer.timeSource");
      return this;
    }

    /**
     * Checks the settings and starts the server on a free loopback port.
     *
     * @return the running server
     * @throws IllegalArgumentException naming the setting, the rule and the value
     * @throws IllegalStateException if the server cannot start
     */
    public RateLimitedServer start() {
      double capacity = burst == null ? Math.max(1, rate) : burst;
      check(rate > 0 && Double.isFinite(rate), "rate must be > 0, was " + rate);
      check(capacity >= 1 && Double.isFinite(capacity), "burst must be >= 1, was " + capacity);
      check(window.toNanos() > 0, "window must be > 0, was " + window);
      check(!minLatency.isNegative(), "latency min must be >= 0, was " + minLatency);
      check(
          maxLatency.compareTo(minLatency) >= 0,
          "latency max must be >= min (" + minLatency + "), was " + maxLatency);
      check(tokensPerMinute >= 0, "tokensPerMinute must be >= 0, was " + tokensPerMinute);
      for (RateLimitChange c : changes) {
        check(c.rate() > 0, "change rate must be > 0, was " + c.rate());
        check(c.burst() >= 1, "change burst must be >= 1, was " + c.burst());
        check(!c.offset().isNegative(), "change offset must be >= 0, was " + c.offset());
      }
      this.burst = capacity;
      changes.sort((a, b) -> a.offset().compareTo(b.offset()));
      try {
        return new RateLimitedServer(this);
      } catch (Exception e) {
        throw new IllegalStateException("RateLimitedServer did not start", e);
      }
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException("RateLimitedServer." + message);
      }
    }
  }
}
