package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-list cache of fixed header parts gives the same text as formatting everything anew. */
class RateLimitFieldsTest {
  private final List<Limit> two =
      List.of(
          Limit.of("per-second", 2, Duration.ofSeconds(1)),
          Limit.of("per-minute", 100, Duration.ofMillis(59_500)));
  private final List<Limit> one = List.of(Limit.of("per-hour", 5000, Duration.ofHours(1)));

  private static List<String> fields(RateLimitFields f, Decision d) {
    return Arrays.asList(f.fields(d, 0)).subList(0, f.count(d));
  }

  @Test
  void cachedPartsStayRightAcrossListsAndDecisions() {
    RateLimitFields fields = new RateLimitFields(HeaderDialect.BOTH);
    for (int round = 0; round < 3; round++) {
      Decision d2 =
          Decision.of(
              two,
              new long[] {round, 99 - round},
              new long[] {500_000_000L, 59_000_000_001L},
              0,
              new boolean[2]);
      assertThat(fields(fields, d2))
          .containsExactly(
              "RateLimit-Policy",
              "\"per-second\";q=2;w=1, \"per-minute\";q=100;w=60",
              "RateLimit",
              "\"per-second\";r=" + round + ";t=1, \"per-minute\";r=" + (99 - round) + ";t=60",
              "X-RateLimit-Limit",
              "2",
              "X-RateLimit-Remaining",
              Integer.toString(round),
              "X-RateLimit-Reset",
              "1");
      Decision d1 =
          Decision.of(
              one, new long[] {123_456L}, new long[] {3_600_000_000_000L}, 0, new boolean[1]);
      assertThat(fields(fields, d1))
          .containsExactly(
              "RateLimit-Policy",
              "\"per-hour\";q=5000;w=3600",
              "RateLimit",
              "\"per-hour\";r=123456;t=3600",
              "X-RateLimit-Limit",
              "5000",
              "X-RateLimit-Remaining",
              "123456",
              "X-RateLimit-Reset",
              "3600");
    }
  }

  @Test
  void dialectsChooseTheirFields() {
    Decision d = Decision.of(one, new long[] {7}, new long[] {1}, 0, new boolean[1]);
    assertThat(fields(new RateLimitFields(HeaderDialect.LEGACY), d))
        .containsExactly(
            "X-RateLimit-Limit", "5000", "X-RateLimit-Remaining", "7", "X-RateLimit-Reset", "1");
    assertThat(fields(new RateLimitFields(HeaderDialect.IETF), d))
        .containsExactly(
            "RateLimit-Policy", "\"per-hour\";q=5000;w=3600", "RateLimit", "\"per-hour\";r=7;t=1");
    assertThat(fields(new RateLimitFields(HeaderDialect.NONE), d)).isEmpty();
    assertThat(new RateLimitFields(HeaderDialect.BOTH).fields(null, 2)).hasSize(2);
  }
}
