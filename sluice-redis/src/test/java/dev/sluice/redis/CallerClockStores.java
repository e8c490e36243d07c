package dev.sluice.redis;

import dev.sluice.testkit.RedisServer;
import dev.sluice.time.ManualTimeSource;
import java.time.Duration;

/** Redis stores for comparisons with the engine: decided on the caller's clock, failing closed. */
final class CallerClockStores {
  private CallerClockStores() {}

  static RedisStore on(RedisServer server) {
    return RedisStore.withCallerClock(
        RedisStoreConfig.builder()
            .standalone(server.host() + ":" + server.port())
            .commandTimeout(Duration.ofSeconds(5))
            .onFailure(FailureMode.FAIL_CLOSED)
            .build(),
        new ManualTimeSource());
  }
}
