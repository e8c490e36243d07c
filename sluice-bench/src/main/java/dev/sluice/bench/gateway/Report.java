package dev.sluice.bench.gateway;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The markdown report of one run of {@link GatewayLoadBenchmark}: tables, then the goals. */
final class Report {
  private static final double[] PERCENTILES = {50, 95, 99, 99.9};

  private final int rate;
  private final int connections;
  private final int seconds;
  private final int warmup;
  private final int stepSeconds;
  private final int boundMillis;
  private final int quota;
  private final Map<String, String> environment = new LinkedHashMap<>();
  private final List<Target> targets = new ArrayList<>();
  private final Map<String, LoadResult> latency = new LinkedHashMap<>();
  private final Map<String, Cpu> cpu = new LinkedHashMap<>();
  private final Map<String, MaxRateSearch.Outcome> highest = new LinkedHashMap<>();
  private String snippet = "not checked";
  private LoadResult accuracy;
  private String timing = "";

  Report(
      int rate,
      int connections,
      int seconds,
      int warmup,
      int stepSeconds,
      int boundMillis,
      int quota) {
    this.rate = rate;
    this.connections = connections;
    this.seconds = seconds;
    this.warmup = warmup;
    this.stepSeconds = stepSeconds;
    this.boundMillis = boundMillis;
    this.quota = quota;
  }

  void environment(Map<String, String> values) {
    environment.putAll(values);
  }

  void snippetCheck(String text) {
    snippet = text;
  }

  void latency(Target target, LoadResult result, Cpu used) {
    targets.add(target);
    latency.put(target.name(), result);
    cpu.put(target.name(), used);
  }

  /**
   * CPU seconds spent during a latency run.
   *
   * @param target by the processes between driver and upstream (gateways, redis-server, nginx)
   * @param upstream by the upstream
   * @param driver by the driver's JVM
   */
  record Cpu(double target, double upstream, double driver) {
    /** Microseconds per answered request. */
    static double perRequest(double seconds, LoadResult result) {
      long answered = result.admitted() + result.refused() + result.otherStatus();
      return answered == 0 ? 0 : seconds * 1e6 / answered;
    }

    String describe(LoadResult result) {
      return String.format(
          "CPU per request: %.0f µs in the target, %.0f µs upstream, %.0f µs driver",
          perRequest(target, result), perRequest(upstream, result), perRequest(driver, result));
    }
  }

  void highest(Target target, MaxRateSearch.Outcome outcome) {
    highest.put(target.name(), outcome);
  }

  void accuracy(int quota, LoadResult result) {
    accuracy = result;
  }

  void finished(Instant began, Instant ended, String loadAverage) {
    timing =
        String.format(
            "run took %d s (%s to %s), load average at the end %s",
            Duration.between(began, ended).toSeconds(), began, ended, loadAverage);
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            "Open loop, %,d requests/s from %d connections for %d s per target (after %d s of"
                + " warm-up), latency from the intended send time (HdrHistogram; no coordinated"
                + " omission). %s; %s.%n%n",
            rate,
            connections,
            seconds,
            warmup,
            environment.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ")),
            timing));
    md.append(
        "| target | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms | added p50 | added p95 | added p99"
            + " | added p99.9 | 2xx | 429 | errors |\n");
    md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    LoadResult direct = targets.isEmpty() ? null : latency.get(targets.get(0).name());
    for (Target target : targets) {
      LoadResult r = latency.get(target.name());
      md.append("| ").append(target.name());
      for (double p : PERCENTILES) {
        md.append(String.format(" | %.2f", r.millis(p)));
      }
      md.append(String.format(" | %.1f", r.maxMillis()));
      for (double p : PERCENTILES) {
        md.append(r == direct ? " | —" : String.format(" | %+.2f", r.millis(p) - direct.millis(p)));
      }
      md.append(String.format(" | %,d | %,d | %,d |%n", r.admitted(), r.refused(), r.errors()));
    }
    md.append(
        "\nCPU time per request during those runs (user + system, from /proc; the target is what"
            + " sits between driver and upstream: gateway, redis-server, nginx and its workers):\n\n");
    md.append("| target | target µs/req | upstream µs/req | driver µs/req | all µs/req |\n");
    md.append("|---|--:|--:|--:|--:|\n");
    for (Target target : targets) {
      LoadResult r = latency.get(target.name());
      Cpu c = cpu.get(target.name());
      md.append(
          String.format(
              "| %s | %.0f | %.0f | %.0f | %.0f |%n",
              target.name(),
              Cpu.perRequest(c.target(), r),
              Cpu.perRequest(c.upstream(), r),
              Cpu.perRequest(c.driver(), r),
              Cpu.perRequest(c.target() + c.upstream() + c.driver(), r)));
    }
    if (!highest.isEmpty()) {
      md.append(
          String.format(
              "%nHighest sustainable rate: steps of %d s, doubling from %,d req/s, then three"
                  + " bisections; sustained = p99 ≤ %d ms from the intended send time and no"
                  + " errors (same driver, same %d connections).%n%n",
              stepSeconds, rate, boundMillis, connections));
      md.append(
          "| target | highest sustained req/s | vs nginx `limit_req` | steps (req/s: p99 ms) |\n");
      md.append("|---|--:|--:|---|\n");
      MaxRateSearch.Outcome nginx = nginxOutcome();
      for (Target target : targets) {
        MaxRateSearch.Outcome o = highest.get(target.name());
        if (o == null) {
          continue;
        }
        String ratio =
            nginx == null || nginx.highest() == 0
                ? "—"
                : String.format("%.2f×", (double) o.highest() / nginx.highest());
        String steps =
            o.steps().stream()
                .map(
                    s ->
                        String.format(
                            "%,d: %.1f%s",
                            s.result().rate(),
                            s.result().millis(99),
                            s.sustained()
                                ? ""
                                : s.result().errors() > 0
                                    ? " ✗ " + s.result().errors() + " errors"
                                    : " ✗"))
                .collect(Collectors.joining("; "));
        md.append(
            String.format(
                "| %s | %,d%s | %s | %s |%n",
                target.name(), o.highest(), o.capped() ? " (cap)" : "", ratio, steps));
      }
    }
    if (accuracy != null) {
      md.append(
          String.format(
              "%nAccuracy: three gateways on one Redis, one client, `/accuracy/**` with a quota of"
                  + " %,d a day (gcra, burst = quota); %,d requests at %,d req/s round robin over"
                  + " the three.%n%n",
              quota,
              accuracy.admitted() + accuracy.refused() + accuracy.errors(),
              accuracy.rate()));
      md.append("| quota | admitted (200) | refused (429) | errors | admitted − quota |\n");
      md.append("|--:|--:|--:|--:|--:|\n");
      md.append(
          String.format(
              "| %,d | %,d | %,d | %,d | %+d |%n",
              quota,
              accuracy.admitted(),
              accuracy.refused(),
              accuracy.errors(),
              accuracy.admitted() - quota));
    }
    md.append("\nnginx `auth_request` snippet, refusal path: ").append(snippet).append(".\n");
    md.append(goals());
    return md.toString();
  }

  private MaxRateSearch.Outcome nginxOutcome() {
    return highest.entrySet().stream()
        .filter(e -> e.getKey().contains("limit_req"))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  private String goals() {
    StringBuilder md = new StringBuilder("\nGoals:\n\n");
    for (Target target : targets) {
      double p95 = latency.get(target.name()).millis(95);
      md.append(
          String.format(
              "- p95 < 10 ms end to end, %s: %.2f ms, %s%n",
              target.name(), p95, p95 < 10 ? "met" : "**missed**"));
    }
    LoadResult direct = targets.isEmpty() ? null : latency.get(targets.get(0).name());
    for (Target target : targets) {
      double bound =
          target.name().contains("in-memory")
              ? 1
              : target.name().startsWith("gateway, Redis") ? 2 : Double.NaN;
      if (Double.isNaN(bound)) {
        continue;
      }
      double added = latency.get(target.name()).millis(99) - direct.millis(99);
      md.append(
          String.format(
              "- added p99 ≤ %.0f ms, %s: %+.2f ms, %s%n",
              bound, target.name(), added, added <= bound ? "met" : "**missed**"));
    }
    MaxRateSearch.Outcome nginx = nginxOutcome();
    if (nginx != null && nginx.highest() > 0) {
      for (Target target : targets) {
        MaxRateSearch.Outcome o = highest.get(target.name());
        if (o == null || !target.name().startsWith("gateway")) {
          continue;
        }
        double ratio = (double) o.highest() / nginx.highest();
        md.append(
            String.format(
                "- highest rate ≥ half of nginx's, %s: %.2f×, %s%n",
                target.name(), ratio, ratio >= 0.5 ? "met" : "**missed**"));
      }
    }
    if (accuracy != null) {
      md.append(
          String.format(
              "- admitted = quota across three gateways: %,d of %,d, %s%n",
              accuracy.admitted(),
              quota,
              accuracy.admitted() == quota && accuracy.errors() == 0 ? "met" : "**missed**"));
    }
    return md.toString();
  }
}
