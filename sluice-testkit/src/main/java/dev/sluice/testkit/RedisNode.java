package dev.sluice.testkit;

import dev.sluice.time.TimeSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A redis-server process started with extra arguments, for topologies {@link RedisServer} does not
 * cover: a cluster node ({@code --cluster-enabled yes}), a replica ({@code --replicaof}), or a
 * sentinel ({@link #sentinel}). Each node has its own port and work directory.
 *
 * <pre>{@code
 * try (RedisNode master = RedisNode.start();
 *     RedisNode replica = RedisNode.start("--replicaof", "127.0.0.1", master.portText());
 *     RedisNode sentinel = RedisNode.sentinel("sentinel monitor main 127.0.0.1 "
 *         + master.port() + " 1")) {
 *   ...
 * }
 * }</pre>
 *
 * <p>However the run ends, the process does not outlive it: {@link #stop()} kills it after a grace
 * period, a shutdown hook stops it when the JVM exits, and a node orphaned by a JVM that was
 * SIGKILLed is stopped by the next node or server start (pid files in {@code
 * ${java.io.tmpdir}/sluice-testkit/pids}).
 */
public final class RedisNode implements AutoCloseable {
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration PING_INTERVAL = Duration.ofMillis(20);

  private final Path binary;
  private final Path workDir;
  private final Path logFile;
  private final int port;
  private final List<String> command;
  private Process process;
  private OwnedProcesses.Owned owned;

  private RedisNode(Path binary, Path workDir, int port, List<String> command) {
    this.binary = binary;
    this.workDir = workDir;
    this.logFile = workDir.resolve("redis.log");
    this.port = port;
    this.command = command;
  }

  /**
   * Starts a redis-server on a free port, without persistence, with {@code extraArgs} appended.
   *
   * @param extraArgs such as {@code "--cluster-enabled", "yes"}
   * @return the running node
   * @throws IllegalStateException if it does not answer PING within 20 s
   */
  public static RedisNode start(String... extraArgs) {
    Path binary = RedisBinary.locate();
    Path dir = tempDir();
    int port = FreePort.find();
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(
        List.of(
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--protected-mode",
            "no",
            "--dir",
            dir.toString()));
    command.addAll(List.of(extraArgs));
    RedisNode node = new RedisNode(binary, dir, port, command);
    node.launch();
    return node;
  }

  /**
   * Like {@link #start}, but tries up to three free ports: another process may take a port between
   * the probe and redis-server's bind.
   *
   * @param extraArgs such as {@code "--cluster-enabled", "yes"}
   * @return the running node
   * @throws IllegalStateException if no attempt answers PING
   */
  public static RedisNode startOnFreePort(String... extraArgs) {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return start(extraArgs);
      } catch (IllegalStateException e) {
        last = e;
      }
    }
    throw last;
  }

  /**
   * Starts a Redis Sentinel on a free port with the given configuration lines (such as {@code
   * sentinel monitor main 127.0.0.1 6379 1}); port, bind address and protected mode are added.
   *
   * @param configLines sentinel configuration, one directive a line
   * @return the running sentinel
   * @throws IllegalStateException if it does not answer PING within 20 s
   */
  public static RedisNode sentinel(String... configLines) {
    Path binary = RedisBinary.locate();
    Path dir = tempDir();
    int port = FreePort.find();
    StringBuilder config = new StringBuilder();
    config.append("port ").append(port).append('\n');
    config.append("bind 127.0.0.1\nprotected-mode no\n");
    config.append("dir ").append(dir).append('\n');
    for (String line : configLines) {
      config.append(line).append('\n');
    }
    Path file = dir.resolve("sentinel.conf");
    try {
      Files.writeString(file, config.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    RedisNode node =
        new RedisNode(binary, dir, port, List.of(binary.toString(), file.toString(), "--sentinel"));
    node.launch();
    return node;
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("sluice-redis-node");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a work directory for redis-server", e);
    }
  }

  /**
   * The host the node listens on.
   *
   * @return {@code 127.0.0.1}
   */
  public String host() {
    return "127.0.0.1";
  }

  /**
   * The node's port.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * The node's port as text, for command lines.
   *
   * @return the port
   */
  public String portText() {
    return Integer.toString(port);
  }

  /**
   * {@code host:port} of the node.
   *
   * @return the endpoint
   */
  public String endpoint() {
    return host() + ":" + port;
  }

  /**
   * A {@code redis://} URI of the node.
   *
   * @return the URI
   */
  public String uri() {
    return "redis://" + endpoint();
  }

  /**
   * Whether the process is alive.
   *
   * @return true while running
   */
  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Kills the process at once (SIGKILL), like a crash. */
  public void kill() {
    if (owned != null) {
      owned.kill();
      owned = null;
    }
  }

  /**
   * Stops the process (SIGTERM) and waits for it; kills it if it has not exited after a few
   * seconds.
   */
  public void stop() {
    if (owned != null) {
      owned.stop();
      owned = null;
    }
  }

  /**
   * The server's process id, for tests of the fixture's own lifecycle.
   *
   * @return the pid of the running (or last) process
   * @throws IllegalStateException if the node was never launched
   */
  public long pid() {
    if (process == null) {
      throw new IllegalStateException("redis node on port " + port + " was never started");
    }
    return process.pid();
  }

  /**
   * Starts the process again with the same port, arguments and directory.
   *
   * @throws IllegalStateException if it is still running
   */
  public void restart() {
    if (isRunning()) {
      throw new IllegalStateException("redis node on port " + port + " is still running");
    }
    launch();
  }

  /**
   * The node's log so far.
   *
   * @return the log text
   */
  public String logs() {
    try {
      return Files.exists(logFile) ? Files.readString(logFile) : "(no log yet)";
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "RedisNode[" + endpoint() + ", binary=" + binary + "]";
  }

  private void launch() {
    OwnedProcesses.reapOrphans();
    try {
      process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command + ": " + e.getMessage(), e);
    }
    Process started = process;
    owned = OwnedProcesses.own(started.toHandle(), "redis-server " + endpoint(), started::destroy);
    TimeSource time = TimeSource.system();
    long deadline = time.deadlineAfter(STARTUP_TIMEOUT);
    while (time.nanoTime() - deadline < 0) {
      if (!started.isAlive()) {
        stop();
        throw new IllegalStateException(
            "redis node exited with " + started.exitValue() + " on port " + port + ":\n" + logs());
      }
      if (answersPing()) {
        return;
      }
      try {
        time.sleep(PING_INTERVAL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill();
        throw new IllegalStateException("interrupted while starting redis node", e);
      }
    }
    kill();
    throw new IllegalStateException(
        "redis node did not answer PING on port " + port + " within " + STARTUP_TIMEOUT);
  }

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host(), port), 200);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String reply = new String(in.readNBytes(7), StandardCharsets.US_ASCII);
      // a server with a password answers NOAUTH: it is up all the same
      return reply.equals("+PONG\r\n") || reply.startsWith("-NOAUTH");
    } catch (IOException notYet) {
      return false;
    }
  }
}
