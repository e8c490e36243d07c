package dev.sluice.durable.crash;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Starts {@link CrashWorker} JVMs with the JDK and class path of the running test. Each worker's
 * stdout and stderr go to {@code WORKER_ID.log} in an output directory that outlives the test
 * (under {@code target/crash-workers/}), and {@link #report()} gives their tails for a failure
 * message.
 */
final class WorkerProcesses implements AutoCloseable {
  /** How long a worker JVM may take to report ready; generous for a loaded machine. */
  static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

  private static final int TAIL_LINES = 40;

  private final String kind;
  private final String db;
  private final Path log;
  private final long leaseMillis;
  private final int concurrency;
  private final long stepMillis;
  private final Path outputDirectory;
  private final Map<String, Process> started = new LinkedHashMap<>();

  WorkerProcesses(
      String kind,
      String db,
      Path log,
      long leaseMillis,
      int concurrency,
      long stepMillis,
      Path outputDirectory) {
    this.kind = kind;
    this.db = db;
    this.log = log;
    this.leaseMillis = leaseMillis;
    this.concurrency = concurrency;
    this.stepMillis = stepMillis;
    this.outputDirectory = outputDirectory;
    try {
      Files.createDirectories(outputDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + outputDirectory, e);
    }
  }

  /**
   * A fresh directory for worker output under {@code target/crash-workers/}, kept after the run.
   *
   * @param name the test's name, such as {@code sqlite-crash}
   * @return the directory path (created by the constructor)
   */
  static Path outputDirectory(String name) {
    return Path.of("target", "crash-workers", name + "-" + System.currentTimeMillis())
        .toAbsolutePath();
  }

  /** Starts a worker and waits until it reports ready (or dies, or takes too long). */
  Process start(String workerId) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        List.of(
            java,
            "-Xshare:off",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            CrashWorker.class.getName(),
            kind,
            db,
            workerId,
            log.toString(),
            Long.toString(leaseMillis),
            Integer.toString(concurrency),
            Long.toString(stepMillis));
    Path output = outputFile(workerId);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
            .start();
    started.put(workerId, process);
    try {
      await()
          .atMost(STARTUP_TIMEOUT)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> !process.isAlive() || read(output).contains("ready "));
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          "worker "
              + workerId
              + " did not report ready within "
              + STARTUP_TIMEOUT
              + "\n"
              + report(),
          e);
    }
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "worker " + workerId + " exited before it was ready\n" + report());
    }
    return process;
  }

  /**
   * The state of every worker started so far and the tail of its output.
   *
   * @return text for a failure message
   */
  String report() {
    StringBuilder text = new StringBuilder("worker output in ").append(outputDirectory);
    for (Map.Entry<String, Process> worker : started.entrySet()) {
      Process process = worker.getValue();
      List<String> lines = read(outputFile(worker.getKey())).lines().toList();
      text.append("\n--- ")
          .append(worker.getKey())
          .append(" pid ")
          .append(process.pid())
          .append(process.isAlive() ? " alive" : " exited " + process.exitValue())
          .append(", last ")
          .append(Math.min(lines.size(), TAIL_LINES))
          .append(" of ")
          .append(lines.size())
          .append(" lines ---");
      for (String line : lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())) {
        text.append('\n').append(line);
      }
    }
    return text.toString();
  }

  /** SIGKILL: no shutdown hook, no hand-back, no last heartbeat. */
  static void kill(Process process) throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    for (Process process : started.values()) {
      kill(process);
    }
  }

  private Path outputFile(String workerId) {
    return outputDirectory.resolve(workerId + ".log");
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }
}
