package dev.sluice.testkit;

import java.util.concurrent.CountDownLatch;

/**
 * A JVM that starts a fixture's server, prints {@code pid N} and then either exits at once without
 * stopping it ({@code exit}: the shutdown-hook path) or waits to be killed ({@code wait}).
 *
 * <p>Arguments: {@code redis|postgres exit|wait}.
 */
public final class FixtureChild {
  private FixtureChild() {}

  public static void main(String[] args) throws InterruptedException {
    long pid =
        switch (args[0]) {
          case "redis" -> RedisServer.start().pid();
          case "postgres" -> PostgresServer.shared().pid();
          default -> throw new IllegalArgumentException("redis or postgres, not " + args[0]);
        };
    System.out.println("pid " + pid);
    System.out.flush();
    if (args[1].equals("exit")) {
      System.exit(0); // mid-test: nothing closes the server but the shutdown hook
    }
    new CountDownLatch(1).await(); // until the test kills this JVM
  }
}
