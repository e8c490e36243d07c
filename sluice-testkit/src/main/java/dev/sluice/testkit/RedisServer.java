package dev.sluice.testkit;

/**
 * A real standalone {@code redis-server} process on a free loopback port, for integration tests.
 *
 * <p>The binary is the {@code redis-server} on {@code PATH} when there is one, otherwise the Linux
 * build shipped inside the {@code com.github.codemonstur:embedded-redis} artifact, extracted once
 * per JVM. Persistence is off, so a restart starts empty. {@link #kill()} sends SIGKILL and {@link
 * #restart()} starts a new server on the same port, for outage and recovery tests. For cluster
 * nodes, replicas and sentinels use {@link RedisNode}, which this class runs on. A server never
 * outlives the run: a shutdown hook stops it when the JVM exits, and one orphaned by a JVM that was
 * SIGKILLed is stopped by the next server start (pid files in {@code
 * ${java.io.tmpdir}/sluice-testkit/pids}).
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *   RedisClient client = RedisClient.create(redis.uri());
 *   ...
 * }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {
  private final RedisNode node;

  private RedisServer(RedisNode node) {
    this.node = node;
  }

  /**
   * Starts a server on a free loopback port and waits until it answers {@code PING}.
   *
   * @return the running server
   * @throws IllegalStateException if no binary is found or the server does not come up
   */
  public static RedisServer start() {
    return new RedisServer(RedisNode.startOnFreePort());
  }

  /**
   * The host to connect to.
   *
   * @return always {@code 127.0.0.1}
   */
  public String host() {
    return node.host();
  }

  /**
   * The port the server listens on; it stays the same across {@link #restart()}.
   *
   * @return the port
   */
  public int port() {
    return node.port();
  }

  /**
   * A Redis URI for clients such as Lettuce.
   *
   * @return {@code redis://127.0.0.1:<port>}
   */
  public String uri() {
    return node.uri();
  }

  /**
   * Tells whether the server process is alive.
   *
   * @return {@code true} while the process runs
   */
  public boolean isRunning() {
    return node.isRunning();
  }

  /**
   * The server's process id, for tests of the fixture's own lifecycle.
   *
   * @return the pid
   */
  public long pid() {
    return node.pid();
  }

  /**
   * Stops the server gracefully (SIGTERM) and waits for it to exit; kills it if it has not exited
   * after a few seconds.
   */
  public void stop() {
    node.stop();
  }

  /** Kills the server at once (SIGKILL), as a crash or a network-level outage would. */
  public void kill() {
    node.kill();
  }

  /**
   * Starts the server again on the same port after {@link #stop()} or {@link #kill()}. The data is
   * gone: persistence is off.
   *
   * @throws IllegalStateException if the server is still running or does not come up
   */
  public void restart() {
    node.restart();
  }

  /**
   * Reads the server's log, for diagnosing a failed test.
   *
   * @return the log text, or a note that there is none
   */
  public String logs() {
    return node.logs();
  }

  /** Stops the server. */
  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "RedisServer[" + node + "]";
  }
}
