package dev.sluice.bench.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process the benchmark started (the upstream, a gateway, nginx): its output is read line by line
 * (the last 200 lines kept, for error messages), a ready line can be waited for, and {@link
 * #close()} ends it (SIGTERM, then SIGKILL after 10 s).
 */
final class ChildProcess implements AutoCloseable {
  private static final int KEPT_LINES = 200;

  private final String name;
  private final Process process;
  private final Pattern ready;
  private final CompletableFuture<Matcher> readyLine = new CompletableFuture<>();
  private final Deque<String> lines = new ArrayDeque<>();
  private final ReentrantLock linesLock = new ReentrantLock();

  private ChildProcess(String name, Process process, Pattern ready) {
    this.name = name;
    this.process = process;
    this.ready = ready;
    Thread.ofPlatform().daemon().name("output of " + name).start(this::read);
  }

  /**
   * Starts {@code command} in {@code directory}, stdout and stderr merged; {@code ready} is the
   * line to wait for with {@link #awaitReady(long)} (null: none).
   */
  static ChildProcess start(String name, List<String> command, Path directory, Pattern ready)
      throws IOException {
    Process process =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    return new ChildProcess(name, process, ready);
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        keep(line);
        if (ready != null && !readyLine.isDone()) {
          Matcher matcher = ready.matcher(line);
          if (matcher.find()) {
            readyLine.complete(matcher);
          }
        }
      }
    } catch (IOException e) {
      keep("(output closed: " + e + ")");
    }
    readyLine.completeExceptionally(
        new IllegalStateException(name + " ended before it was ready:\n" + output()));
  }

  private void keep(String line) {
    linesLock.lock();
    try {
      lines.addLast(line);
      if (lines.size() > KEPT_LINES) {
        lines.removeFirst();
      }
    } finally {
      linesLock.unlock();
    }
  }

  /** Waits for the ready line and returns its match. */
  Matcher awaitReady(long seconds) throws Exception {
    try {
      return readyLine.get(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          name + " printed no ready line in " + seconds + " s:\n" + output(), e);
    }
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The last lines the process printed. */
  String output() {
    linesLock.lock();
    try {
      return "  " + String.join("\n  ", lines);
    } finally {
      linesLock.unlock();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
