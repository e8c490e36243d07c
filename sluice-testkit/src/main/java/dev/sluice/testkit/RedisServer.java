package dev.sluice.testkit;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a free loopback port, for integration tests.
 *
 * <p>The binary is the {@code redis-server} on {@code PATH} when there is one, otherwise the Linux
 * build shipped inside the {@code com.github.codemonstur:embedded-redis} artifact, extracted once
 * per JVM. Persistence is off, so a restart starts empty. {@link #kill()} sends SIGKILL and {@link
 * #restart()} starts a new server on the same port, for outage and recovery tests.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *   RedisClient client = RedisClient.create(redis.uri());
 *   ...
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

  private final Path binary;
  private final Path workDir;
  private final Path logFile;
  private final int port;
  private Process process;

  private RedisServer(Path binary, Path workDir, int port) {
    this.binary = binary;
    this.workDir = workDir;
    this.logFile = workDir.resolve("redis.log");
    this.port = port;
  }

  /**
   * Starts a server on a free loopback port and waits until it answers {@code PING}.
   *
   * @return the running server
   * @throws IllegalStateException if no binary is found or the server does not come up
   */
  public static RedisServer start() {
    Path binary = RedisBinary.locate();
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      RedisServer server;
      try {
        server =
            new RedisServer(binary, Files.createTempDirectory("sluice-redis"), FreePort.find());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a work directory for redis-server", e);
      }
      try {
        server.launch();
        return server;
      } catch (IllegalStateException e) {
        // another process may have taken the port between probe and bind: try a new one
        last = e;
        server.kill();
      }
    }
    throw last;
  }

  /**
   * The host to connect to.
   *
   * @return always {@code 127.0.0.1}
   */
  public String host() {
    return "127.0.0.1";
  }

  /**
   * The port the server listens on; it stays the same across {@link #restart()}.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * A Redis URI for clients such as Lettuce.
   *
   * @return {@code redis://127.0.0.1:<port>}
   */
  public String uri() {
    return "redis://" + host() + ":" + port;
  }

  /**
   * Tells whether the server process is alive.
   *
   * @return {@code true} while the process runs
   */
  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Stops the server gracefully (SIGTERM) and waits for it to exit. */
  public void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    awaitExit();
  }

  /** Kills the server at once (SIGKILL), as a crash or a network-level outage would. */
  public void kill() {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    awaitExit();
  }

  /**
   * Starts the server again on the same port after {@link #stop()} or {@link #kill()}. The data is
   * gone: persistence is off.
   *
   * @throws IllegalStateException if the server is still running or does not come up
   */
  public void restart() {
    if (isRunning()) {
      throw new IllegalStateException("redis-server on port " + port + " is still running");
    }
    launch();
  }

  /**
   * Reads the server's log, for diagnosing a failed test.
   *
   * @return the log text, or a note that there is none
   */
  public String logs() {
    try {
      return Files.exists(logFile) ? Files.readString(logFile) : "(no redis log yet)";
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  /** Stops the server. */
  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "RedisServer[" + uri() + ", binary=" + binary + "]";
  }

  private void launch() {
    List<String> command =
        List.of(
            binary.toString(),
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
            workDir.toString());
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
    }
    awaitPong();
  }

  private void awaitPong() {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "redis-server exited with "
                + process.exitValue()
                + " on port "
                + port
                + ":\n"
                + logs());
      }
      if (answersPing()) {
        return;
      }
      pause();
    }
    throw new IllegalStateException(
        "redis-server did not answer PING on port "
            + port
            + " within "
            + STARTUP_TIMEOUT
            + ":\n"
            + logs());
  }

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host(), port), 200);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException notYet) {
      return false;
    }
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting redis-server", e);
    }
  }
}
