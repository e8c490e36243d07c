package dev.sluice.app;

import dev.sluice.durable.Durable;
import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionState;
import dev.sluice.gateway.Gateway;
import dev.sluice.throttle.Throttle;
import dev.sluice.throttle.ThrottleSnapshot;
import dev.sluice.time.TimeSource;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code sluice demo} prints: a live progress line (rewritten in place on a terminal, a plain
 * line every two seconds otherwise) and the summary at the end.
 */
final class DemoReport {
  private static final Duration POLL = Duration.ofMillis(250);
  private static final long PLAIN_EVERY_NANOS = Duration.ofSeconds(2).toNanos();

  /** The batch at its end. */
  record Summary(
      int calls,
      long completed,
      long deadLetters,
      long callsMade,
      double perSecond,
      int limit,
      long refusals,
      long retries,
      double wallSeconds) {

    double goodput() {
      return perSecond / limit;
    }

    String json() {
      return String.format(
          Locale.ROOT,
          "{\"calls\":%d,\"completed\":%d,\"deadLetters\":%d,\"callsMade\":%d,"
              + "\"perSecond\":%.2f,\"limit\":%d,\"goodput\":%.3f,\"refusals\":%d,"
              + "\"retries\":%d,\"wallSeconds\":%.2f}",
          calls,
          completed,
          deadLetters,
          callsMade,
          perSecond,
          limit,
          goodput(),
          refusals,
          retries,
          wallSeconds);
    }
  }

  private final PrintWriter out;
  private final Durable durable;
  private final Throttle throttle;
  private final TimeSource time;
  private final int calls;
  private final int limit;
  private final boolean terminal;
  private long lastPrinted;
  private long lastCompleted = -1;
  private long lastAt;
  private double rate;

  DemoReport(
      PrintWriter out,
      Durable durable,
      Throttle throttle,
      TimeSource time,
      int calls,
      int limit,
      boolean terminal) {
    this.out = out;
    this.durable = durable;
    this.throttle = throttle;
    this.time = time;
    this.lastAt = time.nanoTime();
    this.lastPrinted = lastAt - PLAIN_EVERY_NANOS; // the first line is printed at once
    this.calls = calls;
    this.limit = limit;
    this.terminal = terminal;
  }

  Duration interval() {
    return POLL;
  }

  void header(URI target, boolean direct, URI admin, Path db) {
    out.printf(
        Locale.ROOT,
        "sluice demo: %d calls to %s (%s), a durable batch in %s%n",
        calls,
        target,
        direct
            ? "the sample API directly, which announces no limit"
            : "the gateway, "
                + limit
                + "/s with IETF RateLimit headers; metrics "
                + admin
                + "/metrics",
        db);
    out.flush();
  }

  /** Reads the batch's states, prints progress when due, and tells whether nothing is left. */
  boolean done(long refusals) {
    Map<ExecutionState, Long> counts = durable.operator().counts();
    long completed = counts.getOrDefault(ExecutionState.COMPLETED, 0L);
    long open =
        counts.getOrDefault(ExecutionState.PENDING, 0L)
            + counts.getOrDefault(ExecutionState.RUNNING, 0L);
    long now = time.nanoTime();
    if (lastCompleted >= 0 && now - lastAt >= Duration.ofSeconds(1).toNanos()) {
      rate = (completed - lastCompleted) * 1e9 / (now - lastAt);
      lastCompleted = completed;
      lastAt = now;
    } else if (lastCompleted < 0) {
      lastCompleted = completed;
    }
    boolean finished = open == 0;
    if (terminal || finished || now - lastPrinted >= PLAIN_EVERY_NANOS) {
      lastPrinted = now;
      ThrottleSnapshot s = throttle.snapshot();
      String eta =
          rate > 0 && open > 0
              ? String.format(Locale.ROOT, "ETA %4.0f s", open / rate)
              : "ETA    -";
      String line =
          String.format(
              Locale.ROOT,
              "%6d/%d done  %6.1f/s  %s  concurrency %2d  429s %d  %s",
              completed,
              completed + open + counts.getOrDefault(ExecutionState.FAILED, 0L),
              rate,
              eta,
              s.concurrency(),
              refusals,
              s.state());
      if (terminal) {
        out.print("\r" + line);
        if (finished) {
          out.println();
        }
      } else {
        out.println(line);
      }
      out.flush();
    }
    return finished;
  }

  Summary summary(
      List<ExecutionId> ids, long callsMade, long refusals, long retries, Duration wall) {
    long completed = 0;
    for (ExecutionId id : ids) {
      if (durable.stateOf(id) == ExecutionState.COMPLETED) {
        completed++;
      }
    }
    double seconds = wall.toNanos() / 1e9;
    return new Summary(
        calls,
        completed,
        durable.operator().deadLetterCount(),
        callsMade,
        seconds > 0 ? callsMade / seconds : 0,
        limit,
        refusals,
        retries,
        seconds);
  }

  void print(Summary s, Gateway gateway) {
    out.println();
    out.printf(Locale.ROOT, "  calls               %d of %d done%n", s.completed(), s.calls());
    out.printf(
        Locale.ROOT,
        "  made by this run    %d (a call recorded as done is never made again)%n",
        s.callsMade());
    out.printf(
        Locale.ROOT,
        "  goodput             %.1f/s, %.2f of the %d/s limit%n",
        s.perSecond(),
        s.goodput(),
        s.limit());
    out.printf(Locale.ROOT, "  429s received       %d%n", s.refusals());
    out.printf(Locale.ROOT, "  retries             %d%n", s.retries());
    out.printf(Locale.ROOT, "  dead letters        %d%n", s.deadLetters());
    out.printf(Locale.ROOT, "  wall time           %.1f s%n", s.wallSeconds());
    out.println();
    out.println("next:");
    out.println("  ./sluice durable stats --db sluice-demo.db     # the batch, as stored");
    out.println("  ./sluice demo --no-gateway --db other.db       # no headers: learn from 429s");
    if (gateway != null) {
      out.println(
          "  ./sluice demo --keep-running                   # then: curl -i "
              + gateway.publicUri().resolve("/items/1")
              + " and "
              + gateway.adminUri().resolve("/metrics"));
    }
  }
}
