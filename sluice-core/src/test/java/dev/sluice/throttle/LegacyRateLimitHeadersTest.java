package dev.sluice.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LegacyRateLimitHeadersTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @ParameterizedTest(name = "Reset {0} means {1} ms from now")
  @CsvSource({
    "30, 30000",
    "1.5, 1500",
    "86400, 86400000",
    "90000, 90000",
    "45000000, 45000000",
    "1767225660, 60000", // epoch seconds, one minute ahead
    "1767225660000, 60000", // epoch milliseconds
    "1767225500, 0", // epoch in the past: already restored
  })
  void ambiguousResetIsReadByMagnitude(String reset, long millis) {
    assertThat(LegacyRateLimitHeaders.resetAfter(reset, NOW)).contains(Duration.ofMillis(millis));
  }

  @Test
  void readsLimitRemainingAndReset() {
    QuotaSignal signal = LegacyRateLimitHeaders.parse("100", "42", "10", NOW).orElseThrow();
    assertThat(signal.remaining()).isEqualTo(42);
    assertThat(signal.quota()).isEqualTo(OptionalLong.of(100));
    assertThat(signal.resetAfter()).contains(Duration.ofSeconds(10));
  }

  @Test
  void malformedValuesAreIgnored() {
    assertThat(LegacyRateLimitHeaders.parse("100", "lots", "10", NOW)).isEmpty();
    assertThat(LegacyRateLimitHeaders.parse("100", "-1", "10", NOW)).isEmpty();
    assertThat(LegacyRateLimitHeaders.parse("100", null, "10", NOW)).isEmpty();
    QuotaSignal partial = LegacyRateLimitHeaders.parse("x", "5", "soon", NOW).orElseThrow();
    assertThat(partial.quota()).isEmpty();
    assertThat(partial.resetAfter()).isEmpty();
    assertThat(LegacyRateLimitHeaders.resetAfter("NaN", NOW)).isEmpty();
    assertThat(LegacyRateLimitHeaders.resetAfter("-5", NOW)).isEmpty();
  }

  @Property
  void anyTextNeverThrowsAndNeverYieldsANegativeNumber(
      @ForAll String limit, @ForAll String remaining, @ForAll String reset) {
    assertThatCode(
            () ->
                LegacyRateLimitHeaders.parse(limit, remaining, reset, NOW)
                    .ifPresent(
                        signal -> {
                          assertThat(signal.remaining()).isNotNegative();
                          signal.resetAfter().ifPresent(d -> assertThat(d.isNegative()).isFalse());
                          signal.quota().ifPresent(q -> assertThat(q).isNotNegative());
                        }))
        .doesNotThrowAnyException();
  }
}
