package dev.sluice.redis;

import dev.sluice.ratelimit.AlgorithmContract;
import dev.sluice.ratelimit.store.LimitStore;
import dev.sluice.testkit.RedisServer;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The engine's algorithm contract (sluice-ratelimit's {@code AlgorithmContract}, each algorithm
 * against its reference model) on the Lua script in Redis. The script runs on the test's manual
 * clock so that arrival times are exact.
 */
@PropertyDefaults(tries = 100)
class RedisAlgorithmPropertiesIT extends AlgorithmContract {
  private static RedisServer server;
  private static RedisStore store;

  @BeforeContainer
  static void start() {
    server = RedisServer.start();
    store = CallerClockStores.on(server);
  }

  @AfterContainer
  static void stop() {
    store.close();
    server.stop();
  }

  @Override
  protected LimitStore store() {
    return store;
  }
}
