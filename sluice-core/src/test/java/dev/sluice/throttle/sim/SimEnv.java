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
  private static final long ONE_WAY_NANOS = 500_000;
  private final Scenario scenario;
  private final ManualTimeSource time;
  private final SimServer server;
  private final Random latencyRandom;
  private final Random clientRandom;
  private final long startNanos;
  private long sent;
  private long succeeded;
  private long rejected;
  private boolean over;
  private long firstSecondRejected;
  private final long[] admittedBySecond;
  private final long[] refusedBySecond;

  SimEnv(Scenario scenario, ManualTimeSource time) {
    this.scenario = scenario;
    this.time = time;
    this.startNanos = time.nanoTime();
    this.admittedBySecond = new long[(int) scenario.length().toSeconds() + 1];
    this.refusedBySecond = new long[admittedBySecond.length];
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
   * Sends one request now; the server sees it half a millisecond later (a loopback hop) and answers
   * after the drawn round trip (its processing time), as the real-HTTP test server does.
   */
  public void send(Consumer<SimResponse> onResponse) {
    if (over) {
      return;
    }
    sent++;
    double spread = (latencyRandom.nextDouble() * 2 - 1) * scenario.latencySpread();
    long roundTrip = (long) (scenario.latency().toNanos() * (1 + spread));
    after(
        ONE_WAY_NANOS,
        () -> {
          SimResponse response = server.handle(time.nanoTime());
          if (response.rejected()) {
            rejected++;
            int at = (int) ((time.nanoTime() - startNanos) / 1_000_000_000L);
            if (at < refusedBySecond.length) {
              refusedBySecond[at]++;
            }
            if (time.nanoTime() - startNanos < 1_000_000_000L) {
              firstSecondRejected++;
            }
          } else {
            succeeded++;
            int second = (int) ((time.nanoTime() - startNanos) / 1_000_000_000L);
            if (second < admittedBySecond.length) {
              admittedBySecond[second]++;
            }
          }
          after(roundTrip, () -> onResponse.accept(response));
        });
  }

  void run() {
    long end = startNanos + scenario.length().toNanos();
    long halve =
        scenario.halveAt() == null ? Long.MAX_VALUE : startNanos + scenario.halveAt().toNanos();
    long step = 250_000; // 0.25 ms of simulated time per tick
    while (time.nanoTime() < end) {
      if (time.nanoTime() >= halve) {
        server.setRate(scenario.limitPerSecond() * scenario.changeFactor(), time.nanoTime());
        halve = Long.MAX_VALUE;
      }
      time.advanceNanos(step);
    }
    over = true;
  }

  SimResult result(String client) {
    Duration stop = null;
    Duration reached = null;
    if (scenario.halveAt() != null && scenario.changeFactor() > 1) {
      int from = (int) scenario.halveAt().toSeconds();
      double target = 0.9 * scenario.limitPerSecond() * scenario.changeFactor();
      for (int s = from; s + 5 <= admittedBySecond.length; s++) {
        long sum = 0;
        for (int k = s; k < s + 5; k++) {
          sum += admittedBySecond[k];
        }
        if (sum / 5.0 >= target) {
          reached = Duration.ofSeconds(s - from);
          break;
        }
      }
    }
    if (scenario.halveAt() != null) {
      // settled: the first second from which the next ten have at most 1% 429s
      int from = (int) scenario.halveAt().toSeconds();
      stop = Duration.ofSeconds(admittedBySecond.length - from);
      for (int s = from; s + 10 <= admittedBySecond.length; s++) {
        long ok = 0;
        long refused = 0;
        for (int k = s; k < s + 10; k++) {
          ok += admittedBySecond[k];
          refused += refusedBySecond[k];
        }
        if (refused <= 0.01 * (ok + refused)) {
          stop = Duration.ofSeconds(s - from);
          break;
        }
      }
    }
    return new SimResult(
        client,
        scenario,
        sent,
        succeeded,
        rejected,
        succeeded / scenario.capacity(),
        sent == 0 ? 0 : (double) rejected / (succeeded + rejected),
        stop,
        reached,
        firstSecondRejected);
  }
}
