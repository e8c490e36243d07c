package dev.sluice.redis;

import dev.sluice.testkit.RedisServer;
import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;

/** Redis stores for comparisons with the engine: decided on the caller's clock, failing closed. */
final class CallerClockStores {
  private CallerClockStores() {}

  /**
   * A manual time source for a caller-clock store: its wall clock starts near the epoch, so the UTC
   * epoch nanoseconds a limiter hands the script stay below 2^53, exact in Lua's doubles (a wall
   * clock in this century is about 1.8e18 ns).
   */
  static ManualTimeSource nearEpoch() {
    return new ManualTimeSource(Instant.ofEpochSecond(1_000));
  }

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
