package dev.sluice.app;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code sluice gateway --config FILE} process from {@code target/sluice.jar}, started and
 * waited for until it prints its ready line. Its output (stdout and stderr, the JSON log lines
 * included) is kept line by line; {@link #toString()} ends with it, so {@code as("%s", gateway)}
 * puts it in a failure message.
 */
final class GatewayProcess implements AutoCloseable {
  static final Path JAR = Path.of("target", "sluice.jar");
  static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern READY =
      Pattern.compile("listening on (http://\\S+) \\(admin (http://\\S+)\\)");
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final String name;
  private URI publicUri;
  private URI adminUri;

  private GatewayProcess(String name, Path config) throws IOException {
    this.name = name;
    this.process =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                JAR.toString(),
                "gateway",
                "--config",
                config.toString())
            .redirectErrorStream(true)
            .start();
    Thread.ofPlatform().daemon().name("output of " + name).start(this::readOutput);
  }

  /** Starts a gateway and waits for its ready line (60 s at most). */
  static GatewayProcess start(String name, Path config) {
    GatewayProcess gateway;
    try {
      gateway = new GatewayProcess(name, config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
    try {
      gateway.awaitReady();
    } catch (RuntimeException | Error e) {
      gateway.close();
      throw e;
    }
    return gateway;
  }

  /** Starts several gateways at once, each with its file, and waits until every one is ready. */
  static List<GatewayProcess> startAll(String name, List<Path> configs) throws Exception {
    List<GatewayProcess> started = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<GatewayProcess>> starting = new ArrayList<>();
      for (int i = 0; i < configs.size(); i++) {
        Path config = configs.get(i);
        String each = name + "-" + (i + 1);
        starting.add(pool.submit(() -> start(each, config)));
      }
      Exception failed = null;
      for (Future<GatewayProcess> future : starting) {
        try {
          started.add(future.get());
        } catch (ExecutionException e) {
          failed = e;
        }
      }
      if (failed != null) {
        started.forEach(GatewayProcess::close);
        throw failed;
      }
    }
    return started;
  }

  private void readOutput() {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        output.add(line);
      }
    } catch (IOException e) {
      output.add("(output closed: " + e + ")");
    }
  }

  private void awaitReady() {
    await("the ready line of " + this)
        .atMost(Duration.ofSeconds(60))
        .until(() -> output.stream().anyMatch(l -> READY.matcher(l).find()) || !process.isAlive());
    Matcher ready =
        output.stream()
            .map(READY::matcher)
            .filter(Matcher::find)
            .findFirst()
            .orElseThrow(() -> new AssertionError(name + " did not start: " + this));
    publicUri = URI.create(ready.group(1));
    adminUri = URI.create(ready.group(2));
  }

  URI publicUri() {
    return publicUri;
  }

  URI adminUri() {
    return adminUri;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Every line the process printed so far. */
  List<String> output() {
    return List.copyOf(output);
  }

  /** A public request to {@code path}, from this test's address. */
  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return get(path, null);
  }

  /**
   * A public request to {@code path} on behalf of {@code client} ({@code X-Forwarded-For}, which a
   * gateway that trusts 127.0.0.1 counts as the client), or from this test's address when null.
   */
  HttpResponse<String> get(String path, String client) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(publicUri.resolve(path)).timeout(TIMEOUT);
    if (client != null) {
      request.header("X-Forwarded-For", client);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** How many of {@code n} public requests to {@code path}, sent one after another, got 200. */
  int passed(String path, int n) throws IOException, InterruptedException {
    return passed(path, n, null);
  }

  /** Like {@link #passed(String, int)}, on behalf of {@code client}. */
  int passed(String path, int n, String client) throws IOException, InterruptedException {
    int ok = 0;
    for (int i = 0; i < n; i++) {
      if (get(path, client).statusCode() == 200) {
        ok++;
      }
    }
    return ok;
  }

  /** A GET on the admin listener. */
  HttpResponse<String> admin(String path) throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(adminUri.resolve(path)).timeout(TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code POST /admin/reload}. */
  HttpResponse<String> postReload() throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(adminUri.resolve("/admin/reload"))
            .timeout(TIMEOUT)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The Prometheus scrape of {@code /metrics}. */
  String metrics() throws IOException, InterruptedException {
    return admin("/metrics").body();
  }

  /**
   * The value of the first sample whose line starts with {@code series} (a name with its labels as
   * the scrape prints them), or 0 when there is none yet.
   */
  double metric(String series) throws IOException, InterruptedException {
    return metrics()
        .lines()
        .filter(line -> line.startsWith(series + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(0);
  }

  /**
   * The sum of the samples of {@code name} (as the scrape prints it, {@code _total} included) whose
   * labels include every {@code key="value"} given, or 0 when there is none.
   */
  double sum(String name, String... labels) throws IOException, InterruptedException {
    return metrics()
        .lines()
        .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
        .filter(line -> java.util.Arrays.stream(labels).allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** Sends SIGHUP: the gateway reads its file again. */
  void hangUp() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor();
  }

  /** SIGKILL, as a crash: nothing is drained. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM, and waits up to 30 s for the exit code. */
  int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " did not stop within 30 s after SIGTERM: " + this);
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ") output:\n  " + String.join("\n  ", output);
  }
}
