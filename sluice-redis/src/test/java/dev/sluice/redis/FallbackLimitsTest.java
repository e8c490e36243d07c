package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.Algorithm;
import dev.sluice.ratelimit.Limit;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FallbackLimitsTest {
  @Test
  void eachNodeEnforcesItsShareOfQuotaAndBurstButNeverLessThanOne() {
    FallbackLimits fallback = new FallbackLimits(3, 100);
    List<Limit> limits =
        List.of(
            Limit.builder("bucket")
                .quota(100)
                .burst(30)
                .window(Duration.ofMinutes(1))
                .algorithm(Algorithm.TOKEN_BUCKET)
                .build(),
            Limit.builder("log")
                .quota(2)
                .window(Duration.ofHours(1))
                .algorithm(Algorithm.SLIDING_LOG)
                .build());
    List<Limit> share = fallback.share(limits);
    assertThat(share.get(0).quota()).isEqualTo(33);
    assertThat(share.get(0).burst()).isEqualTo(10);
    assertThat(share.get(0).window()).isEqualTo(Duration.ofMinutes(1));
    assertThat(share.get(0).algorithm()).isEqualTo(Algorithm.TOKEN_BUCKET);
    assertThat(share.get(1).quota()).isEqualTo(1);
    assertThat(fallback.share(limits)).isSameAs(share);
  }

  @Test
  void aSingleNodeKeepsTheLimitsAsWritten() {
    List<Limit> limits = List.of(Limit.of("l", 10, Duration.ofSeconds(1)));
    assertThat(new FallbackLimits(1, 10).share(limits)).isSameAs(limits);
  }

  @Test
  void theFallbackStoreAdmitsTheShareAndRemembersTheKey() {
    FallbackLimits fallback = new FallbackLimits(2, 100);
    List<Limit> limits = List.of(Limit.of("l", 10, Duration.ofHours(1)));
    int admitted = 0;
    for (int i = 0; i < 20; i++) {
      if (fallback.decide("k", limits, 1, 1_000).allowed()) {
        admitted++;
      }
    }
    assertThat(admitted).isEqualTo(5);
    assertThat(fallback.size()).isEqualTo(1);
  }
}
