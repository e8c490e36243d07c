package dev.sluice.ratelimit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryStoreTest {
  private final ManualTimeSource time = new ManualTimeSource();

  @Test
  void idleKeysAreForgottenOnceWholeWhichChangesNothingTheyObserve() {
    MemoryStore store = MemoryStore.withMaxKeys(10);
    RateLimiter limiter = RateLimiter.builder().timeSource(time).store(store).build();
    List<Limit> limits = List.of(Limit.of("per-second", 2, Duration.ofSeconds(1)));
    for (int i = 0; i < 10; i++) {
      limiter.decide("old-" + i, limits);
    }
    assertThat(store.size()).isEqualTo(10);
    assertThat(store.evictions()).isZero();

    time.advance(Duration.ofSeconds(1)); // every old key is whole again
    limiter.decide("new", limits); // the eleventh key makes the store sweep

    assertThat(store.size()).isEqualTo(1);
    assertThat(store.evictions()).isEqualTo(10);
    Decision again = limiter.decide("old-3", limits);
    assertThat(again.allowed()).isTrue();
    assertThat(again.remaining(0)).isEqualTo(1);
  }

  @Test
  void whenEveryKeyIsActiveTheKeysClosestToWholeAreEvictedFirst() {
    MemoryStore store = MemoryStore.withMaxKeys(100);
    RateLimiter limiter = RateLimiter.builder().timeSource(time).store(store).build();
    List<Limit> hourly = List.of(Limit.of("per-hour", 1_000, Duration.ofHours(1)));
    List<Limit> daily = List.of(Limit.of("per-day", 1_000, Duration.ofDays(1)));
    for (int i = 0; i < 50; i++) {
      limiter.decide("daily-" + i, daily, 1_000); // whole again only in a day
      limiter.decide("hourly-" + i, hourly, 1); // whole again in 3.6 s
    }

    limiter.decide("one-more", hourly);

    assertThat(store.size()).isLessThanOrEqualTo(100 - 100 / 8 + 1);
    for (int i = 0; i < 50; i++) {
      // the exhausted daily clients kept their state
      assertThat(limiter.decide("daily-" + i, daily).allowed()).as("daily-%d", i).isFalse();
    }
  }

  @Test
  void aChangedLimitKeepsTheUsedPermitsClampedToItsNewQuotaAndANewLimitStartsWhole() {
    RateLimiter limiter = RateLimiter.builder().timeSource(time).build();
    Limit fiveAMinute = Limit.of("per-minute", 5, Duration.ofMinutes(1));
    limiter.decide("k", List.of(fiveAMinute), 3);

    Limit fourAMinute = Limit.of("per-minute", 4, Duration.ofMinutes(1));
    Limit tenAnHour = Limit.of("per-hour", 10, Duration.ofHours(1));
    Decision after = limiter.decide("k", List.of(fourAMinute, tenAnHour));

    assertThat(after.allowed()).isTrue();
    assertThat(after.remaining(0)).isZero(); // 3 used + 1 of 4
    assertThat(after.remaining(1)).isEqualTo(9);
  }

  @Test
  void aStoreMustHoldAtLeastOneKey() {
    assertThatThrownBy(() -> MemoryStore.withMaxKeys(0))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessage("store.max-keys must be >= 1, was 0");
  }
}
