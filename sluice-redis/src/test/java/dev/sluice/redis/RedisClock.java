package dev.sluice.redis;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;

/**
 * Redis' own clock, for tests on clock-aligned windows: such a window ends at a UTC multiple of its
 * length on Redis' {@code TIME}, so a test that needs a short sequence of decisions to fall inside
 * one window waits, if it must, until the next boundary is far enough away. The wait is at most
 * {@code room}, and only when the test starts that close to a boundary.
 */
final class RedisClock {
  private RedisClock() {}

  /** Redis' {@code TIME}, in microseconds since the epoch. */
  static long micros(String uri) {
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      List<String> time = connection.sync().time();
      return Long.parseLong(time.get(0)) * 1_000_000 + Long.parseLong(time.get(1));
    } finally {
      client.shutdown();
    }
  }

  /** Returns once at least {@code room} is left before Redis' clock next crosses a multiple. */
  static void awaitRoomInWindow(String uri, Duration window, Duration room) {
    long windowMicros = window.toNanos() / 1_000;
    long roomMicros = room.toNanos() / 1_000;
    await()
        .atMost(room.plusSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> windowMicros - Math.floorMod(micros(uri), windowMicros) >= roomMicros);
  }
}
