package dev.sluice.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RateLimitHeadersTest {

  @Test
  void policiesAreReadWithQuotaWindowUnitAndPartitionKey() {
    assertThat(
            RateLimitHeaders.parsePolicies(
                "\"burst\";q=100;w=60,\"daily\";q=1000;w=86400;qu=\"content-bytes\";pk=:cHsdsRa894==:"))
        .containsExactly(
            new RateLimitPolicy(
                "burst", 100, Optional.of(Duration.ofSeconds(60)), "requests", Optional.empty()),
            new RateLimitPolicy(
                "daily",
                1000,
                Optional.of(Duration.ofDays(1)),
                "content-bytes",
                Optional.of("cHsdsRa894==")));
  }

  @Test
  void statusesAreReadWithRemainingAndReset() {
    assertThat(RateLimitHeaders.parseRateLimit("\"burst\";r=50;t=30, day;r=0"))
        .containsExactly(
            new RateLimitStatus("burst", 50, Optional.of(Duration.ofSeconds(30)), Optional.empty()),
            new RateLimitStatus("day", 0, Optional.empty(), Optional.empty()));
  }

  @Test
  void membersWithoutTheirRequiredParameterOrWithBadValuesAreSkipped() {
    assertThat(
            RateLimitHeaders.parseRateLimit(
                "\"a\";t=30, \"b\";r=-1, \"c\";r=1.5, \"d\";r=\"5\", (x y);r=1, ?1;r=1, \"ok\";r=1;t=-3"))
        .containsExactly(new RateLimitStatus("ok", 1, Optional.empty(), Optional.empty()));
    assertThat(RateLimitHeaders.parsePolicies("\"a\";w=60, \"b\";q=10;zz=?0"))
        .extracting(RateLimitPolicy::name)
        .containsExactly("b");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "\"burst\";r=50,",
        "\"burst\";R=50",
        "\"burst\" r=50",
        "\"unterminated;r=1",
        "\"burst\";r=1234567890123456",
        "\"burst\";r=50;;t=1",
        "\"bad\\escape\";r=1",
        "\"burst\";pk=:not base64:"
      })
  void aMalformedFieldYieldsNothing(String field) {
    assertThat(RateLimitHeaders.parseRateLimit(field)).isEmpty();
    assertThat(RateLimitHeaders.parsePolicies(field)).isEmpty();
  }

  @Test
  void absentFieldYieldsNothing() {
    assertThat(RateLimitHeaders.parseRateLimit(null)).isEmpty();
    assertThat(RateLimitHeaders.parsePolicies(null)).isEmpty();
  }
}
