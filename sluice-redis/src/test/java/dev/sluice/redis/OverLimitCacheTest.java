package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.internal.RemoteDecision;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverLimitCacheTest {
  private static final List<Limit> LIMITS =
      List.of(Limit.of("per-second", 5, Duration.ofSeconds(1)));
  private static final long SECOND = 1_000_000_000L;

  private static Decision refusedFor(long retryAfterNanos) {
    return RemoteDecision.of(LIMITS, new long[] {0}, new long[] {SECOND}, retryAfterNanos, 1);
  }

  @Test
  void aRefusedKeyIsRefusedLocallyUntilTheTimeRedisNamedAndNotAfter() {
    OverLimitCache cache = new OverLimitCache(10);
    cache.record("k", LIMITS, 1, 1_000, refusedFor(200_000_000));

    Decision local = cache.refusal("k", LIMITS, 1, 1_000 + 50_000_000);
    assertThat(local).isNotNull();
    assertThat(local.allowed()).isFalse();
    assertThat(local.retryAfterNanos()).isEqualTo(150_000_000);
    assertThat(local.resetAfterNanos(0)).isEqualTo(SECOND - 50_000_000);
    assertThat(local.violatedLimitIds()).containsExactly("per-second");

    assertThat(cache.refusal("k", LIMITS, 1, 1_000 + 200_000_000 - 1)).isNotNull();
    assertThat(cache.refusal("k", LIMITS, 1, 1_000 + 200_000_000)).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  void aCheaperRequestOrOtherLimitsAskRedisAgain() {
    OverLimitCache cache = new OverLimitCache(10);
    cache.record("k", LIMITS, 3, 0, refusedFor(SECOND));
    assertThat(cache.refusal("k", LIMITS, 2, 1)).isNull();
    assertThat(cache.refusal("k", LIMITS, 3, 1)).isNotNull();
    assertThat(cache.refusal("k", List.of(Limit.of("other", 5, Duration.ofSeconds(1))), 3, 1))
        .isNull();
    assertThat(cache.refusal("other-key", LIMITS, 3, 1)).isNull();
  }

  @Test
  void allowedDecisionsNeverRefusalsAndDisabledCacheRememberNothing() {
    OverLimitCache cache = new OverLimitCache(10);
    cache.record(
        "allowed", LIMITS, 1, 0, RemoteDecision.of(LIMITS, new long[] {4}, new long[] {1}, 0, 0));
    cache.record("never", LIMITS, 9, 0, refusedFor(Decision.NEVER));
    assertThat(cache.size()).isZero();
    OverLimitCache off = new OverLimitCache(0);
    off.record("k", LIMITS, 1, 0, refusedFor(SECOND));
    assertThat(off.refusal("k", LIMITS, 1, 1)).isNull();
  }

  @Test
  void theCacheStaysWithinItsBound() {
    OverLimitCache cache = new OverLimitCache(100);
    for (int i = 0; i < 10_000; i++) {
      cache.record("k" + i, LIMITS, 1, i, refusedFor(SECOND));
      assertThat(cache.size()).isLessThanOrEqualTo(100);
    }
  }
}
