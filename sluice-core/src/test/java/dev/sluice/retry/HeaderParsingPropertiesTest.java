package dev.sluice.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * What a client may rely on whatever a server sends: the header parsers never throw, never invent a
 * negative number, and read back exactly what a well-formed field says.
 */
class HeaderParsingPropertiesTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  @Property(tries = 3000)
  void arbitraryTextNeverThrowsAndNeverYieldsANegativeNumber(@ForAll String field) {
    assertWellBehaved(field);
  }

  @Property(tries = 3000)
  void fieldShapedTextNeverThrowsAndNeverYieldsANegativeNumber(@ForAll("fieldLike") String field) {
    assertWellBehaved(field);
  }

  private static void assertWellBehaved(String field) {
    assertThatCode(
            () -> {
              for (RateLimitStatus status : RateLimitHeaders.parseRateLimit(field)) {
                assertThat(status.name()).isNotEmpty();
                assertThat(status.remaining()).isNotNegative();
                status.reset().ifPresent(reset -> assertThat(reset.isNegative()).isFalse());
              }
              for (RateLimitPolicy policy : RateLimitHeaders.parsePolicies(field)) {
                assertThat(policy.name()).isNotEmpty();
                assertThat(policy.quota()).isNotNegative();
                policy.window().ifPresent(window -> assertThat(window.isNegative()).isFalse());
              }
              RetryAfter.parse(field, NOW).ifPresent(d -> assertThat(d.isNegative()).isFalse());
              RetryAfter.fromRateLimit(field).ifPresent(d -> assertThat(d.isNegative()).isFalse());
            })
        .as("parsing %s", field)
        .doesNotThrowAnyException();
  }

  @Property
  void wellFormedStatusesRoundTrip(
      @ForAll("names") String name,
      @ForAll("counts") long remaining,
      @ForAll("counts") long reset) {
    String field = "\"" + name + "\";r=" + remaining + ";t=" + reset;
    var statuses = RateLimitHeaders.parseRateLimit(field);
    assertThat(statuses).hasSize(1);
    assertThat(statuses.get(0).name()).isEqualTo(name);
    assertThat(statuses.get(0).remaining()).isEqualTo(remaining);
    assertThat(statuses.get(0).reset().orElseThrow().getSeconds()).isEqualTo(reset);
  }

  @Property
  void wellFormedPoliciesRoundTrip(
      @ForAll("names") String name, @ForAll("counts") long quota, @ForAll("counts") long window) {
    List<RateLimitPolicy> policies =
        RateLimitHeaders.parsePolicies("\"" + name + "\";q=" + quota + ";w=" + window);
    assertThat(policies).hasSize(1);
    assertThat(policies.get(0).name()).isEqualTo(name);
    assertThat(policies.get(0).quota()).isEqualTo(quota);
    assertThat(policies.get(0).window()).contains(Duration.ofSeconds(window));
  }

  @Property
  void deltaSecondsReadBackExactly(@ForAll @LongRange(min = 0, max = 999_999_999_999L) long s) {
    assertThat(RetryAfter.parse(Long.toString(s), NOW)).contains(Duration.ofSeconds(s));
    assertThat(RetryAfter.parse("  " + s + " ", NOW)).contains(Duration.ofSeconds(s));
  }

  @Property
  void anHttpDateReadsAsTheTimeUntilItAndNothingOnceItHasPassed(
      @ForAll @LongRange(min = -100_000_000, max = 100_000_000) long offsetSeconds) {
    String date = IMF_FIXDATE.format(NOW.plusSeconds(offsetSeconds));
    Optional<Duration> wait = RetryAfter.parse(date, NOW);
    if (offsetSeconds > 0) {
      assertThat(wait).contains(Duration.ofSeconds(offsetSeconds));
    } else {
      assertThat(wait).isEmpty();
    }
  }

  @Property
  void theRateLimitDelayIsTheLongestResetAmongExhaustedQuotas(
      @ForAll("counts") long exhaustedReset,
      @ForAll("counts") long otherExhaustedReset,
      @ForAll("counts") long roomyReset) {
    String field =
        "a;r=0;t="
            + exhaustedReset
            + ", b;r=0;t="
            + otherExhaustedReset
            + ", c;r=5;t="
            + roomyReset;
    assertThat(RetryAfter.fromRateLimit(field))
        .contains(Duration.ofSeconds(Math.max(exhaustedReset, otherExhaustedReset)));
  }

  @Provide
  Arbitrary<String> fieldLike() {
    return Arbitraries.strings().withChars("\"abqrtw;=,:()?*-.0123456789 \\\t").ofMaxLength(40);
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12);
  }

  @Provide
  Arbitrary<Long> counts() {
    return Arbitraries.longs().between(0, 999_999_999_999_999L);
  }
}
