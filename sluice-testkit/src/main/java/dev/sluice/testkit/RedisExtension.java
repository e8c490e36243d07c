package dev.sluice.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Starts a {@link RedisServer} for a test class and stops it afterwards; prints the server log when
 * a test fails.
 *
 * <pre>{@code
 * class RedisStoreIT {
 *   @RegisterExtension static final RedisExtension redis = new RedisExtension();
 *
 *   @Test void decides() { RedisClient client = RedisClient.create(redis.server().uri()); ... }
 * }
 * }</pre>
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback, TestWatcher {
  private RedisServer server;

  /** Creates the extension; the server starts before the first test of the class. */
  public RedisExtension() {}

  /**
   * The server of the running test class.
   *
   * @return the server
   * @throws IllegalStateException if called outside the test class lifecycle
   */
  public RedisServer server() {
    if (server == null) {
      throw new IllegalStateException(
          "RedisExtension has no server: register it as a static @RegisterExtension field");
    }
    return server;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = RedisServer.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.stop();
      server = null;
    }
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    if (server != null) {
      System.err.println(
          "--- redis-server log for failed test " + context.getDisplayName() + " ---");
      System.err.println(server.logs());
    }
  }
}
