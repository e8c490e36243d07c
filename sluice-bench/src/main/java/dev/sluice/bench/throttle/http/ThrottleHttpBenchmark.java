package dev.sluice.bench.throttle.http;

import dev.sluice.testkit.RateLimitDialect;
import dev.sluice.testkit.RateLimitedServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the throttle against the real-HTTP test server of {@code sluice-testkit} over the grid of
 * limit 5, 20, 50, 200 per second x round trip 10, 50, 200 ms x burst 1, limit/5, limit x headers
 * none / Retry-After / IETF / OpenAI-style, plus the limit halving and doubling; 64 callers per
 * run. Beside it in the same run: a fixed-rate oracle and, with {@code --previous-jar}, an earlier
 * build of the throttle. Prints one Markdown table.
 *
 * <pre>
 * java -cp sluice-bench/target/benchmarks.jar dev.sluice.bench.throttle.http.ThrottleHttpBenchmark \
 *     [--seconds 20] [--parallel 6] [--quick] [--previous-jar old-sluice-core.jar] [--out file.md]
 *     [--headers none,Retry-After,ietf,openai] [--burst 1] [--limits 5,50] [--rtts 10,200]
 *     [--sluice-only] [--trace] [--lean]
 * </pre>
 *
 * <p>Cells run {@code --parallel} at a time, each with its own server and client; the load is light
 * (at most 200 requests per second per cell), so they do not disturb each other on two cores. A
 * cell's goodput is the requests the server admitted over what its limit allowed in the run (the
 * initial burst included); the 429 share counts refusals over everything the server saw.
 *
 * <p>{@code --lean} keeps a full grid affordable: the oracle, which ignores headers, runs on the
 * cells without headers only, and the previous throttle on the quick grid's cells only.
 */
public final class ThrottleHttpBenchmark {
  private static final int CALLERS = 64;

  private ThrottleHttpBenchmark() {}

  /**
   * Runs the grid and prints the table.
   *
   * @param args see the class comment
   */
  public static void main(String[] args) throws Exception {
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int seconds = 20;
    int parallel = 6;
    boolean quick = false;
    Path previous = null;
    Path out = null;
    List<String> only = null;
    Integer onlyBurst = null;
    boolean sluiceOnly = false;
    List<String> onlyLimits = null;
    List<String> onlyRtts = null;
    boolean trace = false;
    boolean lean = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--parallel" -> parallel = Integer.parseInt(args[++i]);
        case "--quick" -> quick = true;
        case "--previous-jar" -> previous = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--headers" -> only = List.of(args[++i].split(","));
        case "--burst" -> onlyBurst = Integer.parseInt(args[++i]);
        case "--sluice-only" -> sluiceOnly = true;
        case "--limits" -> onlyLimits = List.of(args[++i].split(","));
        case "--rtts" -> onlyRtts = List.of(args[++i].split(","));
        case "--trace" -> trace = true;
        case "--lean" -> lean = true;
        default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    List<GridClient> clients = new ArrayList<>();
    clients.add(new SluiceThrottleClient(trace));
    if (!sluiceOnly) {
      clients.add(new FixedRateClient());
    }
    if (previous != null && !sluiceOnly) {
      clients.add(new PreviousThrottleClient(previous, "previous throttle"));
    }
    List<GridCell> cells = cells(Duration.ofSeconds(seconds), quick);
    List<GridCell> quickCells = cells(Duration.ofSeconds(seconds), true);
    List<Run> runs = new ArrayList<>();
    for (GridCell cell : cells) {
      if ((only != null && !only.contains(cell.headers()))
          || (onlyBurst != null && cell.burst() != onlyBurst)
          || (onlyLimits != null && !onlyLimits.contains(Long.toString((long) cell.limit())))
          || (onlyRtts != null && !onlyRtts.contains(Integer.toString(cell.rttMillis())))) {
        continue;
      }
      for (GridClient client : clients) {
        if (lean && client instanceof FixedRateClient && !cell.headers().equals("none")) {
          continue; // the oracle ignores headers: one header kind measures it
        }
        if (lean && client instanceof PreviousThrottleClient && !quickCells.contains(cell)) {
          continue;
        }
        runs.add(new Run(cell, client));
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(
        "| client | L/s | burst | rtt ms | headers | change | goodput / L | 429 share | 429s in"
            + " 1st s | settle after change | 0.9 of new L after |");
    lines.add("| --- | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |");
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    List<Future<String>> rows = new ArrayList<>();
    for (Run run : runs) {
      rows.add(pool.submit(run::measure));
    }
    for (Future<String> row : rows) {
      try {
        String line = row.get();
        lines.add(line);
        System.out.println(line);
      } catch (ExecutionException e) {
        throw new IllegalStateException("a cell failed", e.getCause());
      }
    }
    pool.shutdown();
    if (out != null) {
      Files.write(out, lines);
    }
    lines.forEach(System.out::println);
  }

  static List<GridCell> cells(Duration length, boolean quick) {
    List<GridCell> cells = new ArrayList<>();
    double[] limits = quick ? new double[] {5, 50, 200} : new double[] {5, 20, 50, 200};
    int[] rtts = quick ? new int[] {10, 200} : new int[] {10, 50, 200};
    List<Object[]> headerKinds =
        List.of(
            new Object[] {RateLimitDialect.NONE, false},
            new Object[] {RateLimitDialect.NONE, true},
            new Object[] {RateLimitDialect.IETF, false},
            new Object[] {RateLimitDialect.OPENAI, false});
    for (Object[] headers : headerKinds) {
      RateLimitDialect dialect = (RateLimitDialect) headers[0];
      boolean retryAfter = (Boolean) headers[1];
      for (double limit : limits) {
        int[] bursts = {1, (int) Math.max(1, limit / 5), (int) limit};
        for (int rtt : rtts) {
          for (int burst : quick ? new int[] {1, (int) limit} : bursts) {
            cells.add(new GridCell(limit, burst, rtt, dialect, retryAfter, null, 1, length));
          }
        }
      }
      Duration changeAt = Duration.ofSeconds(20);
      cells.add(
          new GridCell(50, 10, 50, dialect, retryAfter, changeAt, 0.5, Duration.ofSeconds(50)));
      cells.add(new GridCell(50, 10, 50, dialect, retryAfter, changeAt, 2, Duration.ofSeconds(80)));
    }
    return cells;
  }

  /** One client on one cell, on a server of its own. */
  private record Run(GridCell cell, GridClient client) {
    String measure() throws IOException, InterruptedException {
      RateLimitedServer.Builder builder =
          RateLimitedServer.builder()
              .rate(cell.limit())
              .burst(cell.burst())
              .latency(
                  Duration.ofMillis(cell.rttMillis() * 4 / 10),
                  Duration.ofMillis(cell.rttMillis() * 16 / 10))
              .dialect(cell.dialect())
              .retryAfterOn429(cell.retryAfter());
      if (cell.changeAt() != null) {
        builder.change(cell.changeAt(), cell.limit() * cell.factor(), cell.burst());
      }
      try (RateLimitedServer server = builder.start();
          HttpClient http =
              HttpClient.newBuilder()
                  .executor(Executors.newVirtualThreadPerTaskExecutor())
                  .connectTimeout(Duration.ofSeconds(5))
                  .build()) {
        client.run(http, server.uri(), CALLERS, cell.length(), cell);
        return row(server);
      }
    }

    private String row(RateLimitedServer server) {
      long[] admitted = server.admittedBySecond();
      long[] refused = server.refusedBySecond();
      int length = (int) Math.min(admitted.length, cell.length().toSeconds());
      long ok = 0;
      long no = 0;
      for (int s = 0; s < length; s++) {
        ok += admitted[s];
        no += refused[s];
      }
      String settle = "-";
      String reach = "-";
      if (cell.changeAt() != null) {
        int from = (int) cell.changeAt().toSeconds();
        settle = "> " + (length - from) + " s";
        for (int s = from; s + 10 <= length; s++) {
          long a = 0;
          long r = 0;
          for (int k = s; k < s + 10; k++) {
            a += admitted[k];
            r += refused[k];
          }
          if (r <= 0.01 * (a + r)) {
            settle = (s - from) + " s";
            break;
          }
        }
        if (cell.factor() > 1) {
          reach = "> " + (length - from) + " s";
          double target = 0.9 * cell.limit() * cell.factor();
          for (int s = from; s + 5 <= length; s++) {
            long a = 0;
            for (int k = s; k < s + 5; k++) {
              a += admitted[k];
            }
            if (a / 5.0 >= target) {
              reach = (s - from) + " s";
              break;
            }
          }
        }
      }
      return String.format(
          Locale.ROOT,
          "| %s | %s | %d | %d | %s | %s | %.3f | %.2f%% | %d | %s | %s |",
          client.name(),
          (long) cell.limit(),
          cell.burst(),
          cell.rttMillis(),
          cell.headers(),
          cell.change(),
          ok / cell.capacity(),
          ok + no == 0 ? 0.0 : 100.0 * no / (ok + no),
          refused.length == 0 ? 0 : refused[0],
          settle,
          reach);
    }
  }
}
