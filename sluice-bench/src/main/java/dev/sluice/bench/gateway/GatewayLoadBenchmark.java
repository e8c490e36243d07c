package dev.sluice.bench.gateway;

import dev.sluice.testkit.RedisServer;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The gateway load and latency macro benchmark: the same open-loop load, one target after another
 * in one run, through the upstream directly, the gateway with the in-memory store, the gateway on
 * Redis, nginx with {@code limit_req}, and nginx {@code auth_request} to the gateway's {@code GET
 * /check}; then the highest sustainable rate of each, and the accuracy of three gateways on one
 * Redis over a run that exceeds the quota. Writes a markdown report.
 *
 * <p>Everything it needs it starts itself, as child processes on loopback: the upstream ({@link
 * Upstream}), redis-server (sluice-testkit's), the gateways ({@code java -jar sluice.jar gateway}),
 * and nginx. {@code sluice-bench/scripts/gateway-load.sh} installs nginx when missing and runs it:
 *
 * <pre>{@code
 * java -cp sluice-bench/target/benchmarks.jar dev.sluice.bench.gateway.GatewayLoadBenchmark \
 *     --sluice-jar sluice-app/target/sluice.jar --out gateway-load.md
 * }</pre>
 *
 * <p>Options (defaults in brackets): {@code --rate} [1000] requests per second, {@code
 * --connections} [100], {@code --seconds} [60] per latency run, {@code --warmup} [60] seconds
 * before each, {@code --step-seconds} [5] per step of the rate search, {@code --p99-bound-ms} [10]
 * the p99 a sustained rate must keep, {@code --max-rate} [64000], {@code --quota} [3000] of the
 * accuracy run (which sends twice as many), {@code --nginx} [nginx] the binary, {@code
 * --skip-search}, {@code --skip-accuracy}, {@code --targets} [0,1,2,3,4] which targets, by index.
 */
public final class GatewayLoadBenchmark {
  private static final Pattern GATEWAY_READY =
      Pattern.compile("listening on (http://\\S+) \\(admin (http://\\S+)\\)");
  private static final Pattern UPSTREAM_READY =
      Pattern.compile("upstream listening on (http://\\S+)");

  private final Map<String, String> options;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final String java = ProcessHandle.current().info().command().orElse("java");
  private Path work;

  private GatewayLoadBenchmark(Map<String, String> options) {
    this.options = options;
  }

  /**
   * Runs the benchmark.
   *
   * @param args the options above
   * @throws Exception if a process cannot start or a target does not answer
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected an option, was \"" + args[i] + "\"");
      }
      String name = args[i].substring(2);
      if (name.equals("skip-search") || name.equals("skip-accuracy")) {
        options.put(name, "true");
      } else if (i + 1 < args.length) {
        options.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException("option --" + name + " needs a value");
      }
    }
    GatewayLoadBenchmark benchmark = new GatewayLoadBenchmark(options);
    try {
      benchmark.run();
    } finally {
      benchmark.stopAll();
    }
    System.exit(0);
  }

  private int intOption(String name, int fallback) {
    return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
  }

  private void run() throws Exception {
    int rate = intOption("rate", 1000);
    int connections = intOption("connections", 100);
    int seconds = intOption("seconds", 60);
    int warmup = intOption("warmup", 60);
    int stepSeconds = intOption("step-seconds", 5);
    int boundMillis = intOption("p99-bound-ms", 10);
    int maxRate = intOption("max-rate", 64_000);
    int quota = intOption("quota", 3000);
    Path sluiceJar = Path.of(options.getOrDefault("sluice-jar", "sluice-app/target/sluice.jar"));
    Path out = Path.of(options.getOrDefault("out", "sluice-bench/target/gateway-load.md"));
    String nginxBinary = options.getOrDefault("nginx", "nginx");
    if (!Files.isRegularFile(sluiceJar)) {
      throw new IllegalArgumentException("--sluice-jar: no file " + sluiceJar.toAbsolutePath());
    }
    work = Files.createTempDirectory("sluice-gateway-load");
    Instant began = Instant.now();
    Report report = new Report(rate, connections, seconds, warmup, stepSeconds, boundMillis, quota);
    report.environment(environment(nginxBinary));

    System.out.println("starting the upstream, redis-server, 5 gateways and nginx in " + work);
    ChildProcess upstreamProcess =
        startProcess(
            "upstream",
            List.of(java, "-cp", absoluteClassPath(), Upstream.class.getName(), "0"),
            UPSTREAM_READY);
    URI upstream = URI.create(upstreamProcess.awaitReady(30).group(1));
    RedisServer redis = RedisServer.start();
    started.push(redis);

    String memoryToml = GatewayConfigs.proxy(upstream.toString(), null, quota);
    String redisToml = GatewayConfigs.proxy(upstream.toString(), redis.uri(), quota);
    List<ChildProcess> gateways = new ArrayList<>();
    gateways.add(startGateway("gateway-memory", sluiceJar, memoryToml));
    for (int i = 1; i <= 3; i++) {
      gateways.add(startGateway("gateway-redis-" + i, sluiceJar, redisToml));
    }
    gateways.add(startGateway("gateway-check", sluiceJar, GatewayConfigs.check(quota)));
    List<URI> gatewayUris = new ArrayList<>();
    for (ChildProcess gateway : gateways) {
      gatewayUris.add(URI.create(gateway.awaitReady(60).group(1)));
    }
    int limitPort = freePort();
    int checkPort = freePort();
    Path nginxDir = Files.createDirectories(work.resolve("nginx"));
    Nginx nginx =
        Nginx.start(
            nginxBinary,
            nginxDir,
            limitPort,
            checkPort,
            upstream.getPort(),
            gatewayUris.get(4).getPort());
    started.push(nginx);

    String path = "/items";
    ProcessHandle redisProcess = ProcessHandle.of(redis.pid()).orElseThrow();
    List<Target> all =
        List.of(
            new Target("upstream directly", upstream.resolve(path), List.of()),
            new Target(
                "gateway, in-memory store",
                gatewayUris.get(0).resolve(path),
                List.of(gateways.get(0).handle())),
            new Target(
                "gateway, Redis store",
                gatewayUris.get(1).resolve(path),
                List.of(gateways.get(1).handle(), redisProcess)),
            new Target(
                "nginx `limit_req`",
                URI.create("http://127.0.0.1:" + limitPort + path),
                List.of(nginx.handle())),
            new Target(
                "nginx `auth_request` → gateway `/check`",
                URI.create("http://127.0.0.1:" + checkPort + path),
                List.of(nginx.handle(), gateways.get(4).handle())));
    List<Target> targets = all;
    if (options.containsKey("targets")) {
      targets =
          Arrays.stream(options.get("targets").split(","))
              .map(i -> all.get(Integer.parseInt(i.strip())))
              .toList();
    }
    report.snippetCheck(checkRefusalThroughNginx(checkPort));

    try (LoadDriver driver = new LoadDriver(connections)) {
      for (Target target : targets) {
        System.out.printf("latency: %s, %d s warm-up%n", target.name(), warmup);
        driver.connect(target.uri());
        if (warmup > 0) {
          driver.run(List.of(target.uri()), rate, warmup);
        }
        List<ProcessHandle> upstreamSide = List.of(upstreamProcess.handle());
        double[] before = {
          CpuTime.seconds(target.processes()), CpuTime.seconds(upstreamSide), CpuTime.ownSeconds()
        };
        LoadResult result = driver.run(List.of(target.uri()), rate, seconds);
        Report.Cpu cpu =
            new Report.Cpu(
                CpuTime.seconds(target.processes()) - before[0],
                CpuTime.seconds(upstreamSide) - before[1],
                CpuTime.ownSeconds() - before[2]);
        System.out.println("  " + result + "; " + cpu.describe(result));
        report.latency(target, result, cpu);
      }
      if (!options.containsKey("skip-search")) {
        MaxRateSearch search = new MaxRateSearch(driver, stepSeconds, boundMillis, maxRate);
        for (Target target : targets) {
          System.out.printf("highest sustainable rate: %s%n", target.name());
          driver.connect(target.uri());
          report.highest(target, search.search(target.uri(), rate, 3));
        }
      }
      if (!options.containsKey("skip-accuracy")) {
        report.accuracy(quota, accuracy(driver, gatewayUris.subList(1, 4), rate, warmup, quota));
      }
    }
    report.finished(began, Instant.now(), loadAverage());
    String markdown = report.markdown();
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, markdown);
    System.out.println();
    System.out.println(markdown);
    System.out.println("written to " + out.toAbsolutePath());
  }

  /**
   * Twice the quota of {@code /accuracy/**}, one client, round robin over the three gateways on one
   * Redis, after a warm-up of all three on the latency path.
   */
  private static LoadResult accuracy(
      LoadDriver driver, List<URI> gateways, int rate, int warmup, int quota) throws Exception {
    List<URI> warm = new ArrayList<>();
    List<URI> three = new ArrayList<>();
    for (URI gateway : gateways) {
      driver.connect(gateway.resolve("/items"));
      warm.add(gateway.resolve("/items"));
      three.add(gateway.resolve("/accuracy/orders"));
    }
    System.out.printf(
        "accuracy: %d requests over %d gateways on one Redis, quota %d, after %d s of warm-up%n",
        2 * quota, three.size(), quota, warmup);
    if (warmup > 0) {
      driver.run(warm, rate, warmup);
    }
    LoadResult result = driver.run(three, rate, Math.max(1, 2 * quota / rate));
    System.out.println("  " + result);
    return result;
  }

  /**
   * The refusal path of the documented nginx snippet: on {@code /limited/}, which admits one
   * request a day, the first request passes and the second gets the gateway's 429 through nginx.
   */
  private static String checkRefusalThroughNginx(int checkPort) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI uri = URI.create("http://127.0.0.1:" + checkPort + "/limited/x");
    HttpResponse<String> first =
        client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> second =
        client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    String text =
        "first request "
            + first.statusCode()
            + " (RateLimit: "
            + first.headers().firstValue("RateLimit").orElse("absent")
            + "), second "
            + second.statusCode()
            + " (Retry-After: "
            + second.headers().firstValue("Retry-After").orElse("absent")
            + ", RateLimit: "
            + second.headers().firstValue("RateLimit").orElse("absent")
            + ", body "
            + second.body().strip()
            + ")";
    System.out.println("nginx auth_request snippet: " + text);
    if (first.statusCode() != 200
        || second.statusCode() != 429
        || second.headers().firstValue("Retry-After").isEmpty()) {
      throw new IllegalStateException("the nginx auth_request snippet does not work: " + text);
    }
    return text;
  }

  private ChildProcess startGateway(String name, Path jar, String toml) throws IOException {
    Path file = work.resolve(name + ".toml");
    Files.writeString(file, toml);
    return startProcess(
        name,
        List.of(
            java, "-jar", jar.toAbsolutePath().toString(), "gateway", "--config", file.toString()),
        GATEWAY_READY);
  }

  private ChildProcess startProcess(String name, List<String> command, Pattern ready)
      throws IOException {
    ChildProcess process = ChildProcess.start(name, command, work, ready);
    started.push(process);
    return process;
  }

  private void stopAll() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        System.err.println("stopping: " + e);
      }
    }
  }

  /** This JVM's class path with absolute entries, for a child that runs in another directory. */
  private static String absoluteClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Map<String, String> environment(String nginx) {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put(
        "machine",
        Runtime.getRuntime().availableProcessors() + " CPUs, load average " + loadAverage());
    environment.put(
        "java",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    environment.put("nginx", firstLine(nginx, "-v"));
    return environment;
  }

  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String firstLine(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String text = new String(process.getInputStream().readAllBytes()).strip();
      process.waitFor();
      Matcher version = Pattern.compile("nginx/(\\S+)").matcher(text);
      return version.find() ? version.group(1) : text;
    } catch (IOException | InterruptedException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
