package dev.sluice.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class HeaderParsingPropertiesTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Property(tries = 3000)
  void parsersNeverThrowOnArbitraryText(@ForAll String field) {
    assertThat(RateLimitHeaders.parseRateLimit(field)).isNotNull();
    assertThat(RateLimitHeaders.parsePolicies(field)).isNotNull();
    assertThat(RetryAfter.parse(field, NOW)).isNotNull();
    assertThat(RetryAfter.fromRateLimit(field)).isNotNull();
  }

  @Property(tries = 3000)
  void parsersNeverThrowOnFieldShapedText(@ForAll("fieldLike") String field) {
    assertThat(RateLimitHeaders.parseRateLimit(field)).isNotNull();
    assertThat(RateLimitHeaders.parsePolicies(field)).isNotNull();
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
