package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.Algorithm;
import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.testkit.RedisExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The example of {@code docs/redis.md}, run against a real redis-server. */
class RedisExampleIT {
  @RegisterExtension static final RedisExtension REDIS = new RedisExtension();

  @Test
  void theDocumentedExampleRuns() {
    String endpoint = REDIS.server().host() + ":" + REDIS.server().port();
    // the hourly sliding window counts from UTC hours on Redis' clock: keep the 8 calls in one
    RedisClock.awaitRoomInWindow(REDIS.server().uri(), Duration.ofHours(1), Duration.ofSeconds(2));

    // --- docs/redis.md example starts here
    RedisStoreConfig config =
        RedisStoreConfig.builder()
            .standalone(endpoint) // or .sentinel("mymaster", sentinels) or .cluster(seeds)
            .commandTimeout(Duration.ofMillis(250))
            .onFailure(FailureMode.FALLBACK) // or FAIL_OPEN, FAIL_CLOSED
            .fallbackNodes(3) // while Redis is away, each of 3 nodes enforces a third
            .overLimitCache(10_000) // refuse known over-limit keys locally until their time
            .build();
    try (RedisStore store = RedisStore.create(config)) {
      RateLimiter limiter = RateLimiter.builder().store(store).build();
      List<Limit> limits =
          List.of(
              Limit.builder("per-second").quota(5).window(Duration.ofSeconds(1)).build(),
              Limit.builder("per-hour")
                  .quota(1_000)
                  .window(Duration.ofHours(1))
                  .algorithm(Algorithm.SLIDING_WINDOW)
                  .build());
      int allowed = 0;
      Decision last = null;
      for (int i = 0; i < 8; i++) {
        last = limiter.decide("user:42", limits);
        if (last.allowed()) {
          allowed++;
        }
      }
      System.out.println("allowed " + allowed + " of 8; last: " + last);
      // --- docs/redis.md example ends here
      assertThat(allowed).isEqualTo(5);
      assertThat(last.allowed()).isFalse();
      assertThat(last.violatedLimitIds()).containsExactly("per-second");
      assertThat(last.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(200));
      assertThat(last.remaining(1)).isEqualTo(995);
    }
  }
}
