package dev.sluice.durable.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts {@link CrashWorker} JVMs with the JDK and class path of the running test. */
final class WorkerProcesses implements AutoCloseable {
  private final String kind;
  private final String db;
  private final Path log;
  private final long leaseMillis;
  private final int concurrency;
  private final long stepMillis;
  private final Path directory;
  private final List<Process> started = new ArrayList<>();

  WorkerProcesses(
      String kind,
      String db,
      Path log,
      long leaseMillis,
      int concurrency,
      long stepMillis,
      Path directory) {
    this.kind = kind;
    this.db = db;
    this.log = log;
    this.leaseMillis = leaseMillis;
    this.concurrency = concurrency;
    this.stepMillis = stepMillis;
    this.directory = directory;
  }

  /** Starts a worker and waits until it reports ready. */
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
    Process process =
        new ProcessBuilder(command)
            .redirectError(directory.resolve(workerId + ".err").toFile())
            .start();
    started.add(process);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("ready")) {
      throw new IllegalStateException(
          "worker " + workerId + " did not start; see " + directory.resolve(workerId + ".err"));
    }
    return process;
  }

  /** SIGKILL: no shutdown hook, no hand-back, no last heartbeat. */
  static void kill(Process process) throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    for (Process process : started) {
      kill(process);
    }
  }
}
