package dev.sluice.throttle.sim;

import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.Random;
import java.util.function.Consumer;

/**
 * What a simulated client sees: the manual clock, a way to send a request and get its response
 * after the round trip, and a seeded random source. Everything runs on one thread, so a run is a
 * pure function of its scenario.
 */
public final class SimEnv {
  private final Scenario scenario;
  private final ManualTimeSource time;
  private final SimServer server;
  private final Random latencyRandom;
  private final Random clientRandom;
  private final long startNanos;
  private long sent;
  private long succeeded;
  private long rejected;
  private long lastRejectionNanos = Long.MIN_VALUE;
  private boolean over;

  SimEnv(Scenario scenario, ManualTimeSource time) {
    this.scenario = scenario;
    this.time = time;
    this.startNanos = time.nanoTime();
    this.server =
        new SimServer(scenario.limitPerSecond(), scenario.burst(), scenario.headers(), startNanos);
    this.latencyRandom = new Random(scenario.seed());
    this.clientRandom = new Random(scenario.seed() * 31 + 7);
  }

  /** The manual clock of the run. */
  public ManualTimeSource time() {
    return time;
  }

  /** The scenario being run. */
  public Scenario scenario() {
    return scenario;
  }

  /** A seeded random source for the client's own draws (jitter, backoff). */
  public Random random() {
    return clientRandom;
  }

  /** Whether the run has ended; clients stop sending then. */
  public boolean over() {
    return over;
  }

  /** Runs {@code action} after {@code delayNanos} of simulated time. */
  public void after(long delayNanos, Runnable action) {
    if (delayNanos <= 0) {
      time.delay(Duration.ofNanos(1)).thenRun(action);
    } else {
      time.delay(Duration.ofNanos(delayNanos)).thenRun(action);
    }
  }

  /**
   * Sends one request now; the server sees it half a round trip later and the response arrives a
   * full round trip later.
   */
  public void send(Consumer<SimResponse> onResponse) {
    if (over) {
      return;
    }
    sent++;
    double spread = (latencyRandom.nextDouble() * 2 - 1) * scenario.latencySpread();
    long roundTrip = (long) (scenario.latency().toNanos() * (1 + spread));
    after(
        roundTrip / 2,
        () -> {
          SimResponse response = server.handle(time.nanoTime());
          if (response.rejected()) {
            rejected++;
            lastRejectionNanos = time.nanoTime();
          } else {
            succeeded++;
          }
          after(roundTrip - roundTrip / 2, () -> onResponse.accept(response));
        });
  }

  void run() {
    long end = startNanos + scenario.length().toNanos();
    long halve =
        scenario.halveAt() == null ? Long.MAX_VALUE : startNanos + scenario.halveAt().toNanos();
    long step = 250_000; // 0.25 ms of simulated time per tick
    while (time.nanoTime() < end) {
      if (time.nanoTime() >= halve) {
        server.setRate(scenario.limitPerSecond() / 2, time.nanoTime());
        halve = Long.MAX_VALUE;
      }
      time.advanceNanos(step);
    }
    over = true;
  }

  SimResult result(String client) {
    Duration stop = null;
    if (scenario.halveAt() != null) {
      long halvedAt = startNanos + scenario.halveAt().toNanos();
      stop =
          lastRejectionNanos <= halvedAt
              ? Duration.ZERO
              : Duration.ofNanos(lastRejectionNanos - halvedAt);
    }
    return new SimResult(
        client,
        scenario,
        sent,
        succeeded,
        rejected,
        succeeded / scenario.capacity(),
        sent == 0 ? 0 : (double) rejected / (succeeded + rejected),
        stop);
  }
}
