package dev.sluice.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void deltaSecondsIsTheDelay() {
    assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
  }

  @Test
  void imfFixdateIsMeasuredFromNow() {
    assertThat(RetryAfter.parse("Thu, 01 Jan 2026 00:01:30 GMT", NOW))
        .contains(Duration.ofSeconds(90));
  }

  @Test
  void obsoleteRfc850AndAsctimeDatesAreAccepted() {
    assertThat(RetryAfter.parse("Thursday, 01-Jan-26 00:00:10 GMT", NOW))
        .contains(Duration.ofSeconds(10));
    assertThat(RetryAfter.parse("Thu Jan  1 00:00:20 2026", NOW)).contains(Duration.ofSeconds(20));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "abc",
        "-5",
        "1.5",
        "+10",
        "10 s",
        "99999999999999999999999",
        "Thu, 01 Jan 1970 00:00:00 GMT",
        "Wed, 31 Dec 2025 23:59:59 GMT",
        "Thu, 01 Jan 2026 00:00:00 GMT",
        "Fri, 01 Jan 2026 00:01:30 GMT",
        "Thu, 32 Jan 2026 00:01:30 GMT",
        "Thu, 01 Jan 2026 00:01:30 UTC",
        "Sunday, 06-Nov-94 08:49:37 GMT"
      })
  void garbageAndPastDatesAreIgnored(String field) {
    assertThat(RetryAfter.parse(field, NOW)).isEmpty();
  }

  @Test
  void absentFieldIsIgnored() {
    assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    assertThat(RetryAfter.fromRateLimit(null)).isEmpty();
  }

  @Test
  void rateLimitFieldGivesTheLongestResetOfTheExhaustedQuotas() {
    assertThat(RetryAfter.fromRateLimit("\"burst\";r=0;t=30, \"daily\";r=0;t=3600"))
        .contains(Duration.ofHours(1));
    assertThat(RetryAfter.fromRateLimit("\"burst\";r=0;t=30, \"daily\";r=5;t=3600"))
        .contains(Duration.ofSeconds(30));
    assertThat(RetryAfter.fromRateLimit("\"burst\";r=3;t=30")).isEmpty();
    assertThat(RetryAfter.fromRateLimit("not a ; valid = field")).isEmpty();
  }

  @Test
  void combinedDelayIsTheLongerOfRetryAfterAndRateLimitReset() {
    assertThat(RetryAfter.of("10", "\"burst\";r=0;t=30", NOW)).contains(Duration.ofSeconds(30));
    assertThat(RetryAfter.of("60", "\"burst\";r=0;t=30", NOW)).contains(Duration.ofSeconds(60));
    assertThat(RetryAfter.of("abc", null, NOW)).isEmpty();
    assertThat(RetryAfter.of(null, "\"b\";r=0;t=5", NOW)).contains(Duration.ofSeconds(5));
  }
}
