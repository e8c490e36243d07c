package dev.sluice.retry;

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

class LegacyResetFieldTest {
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
    assertThat(LegacyResetField.resetAfter(reset, NOW)).contains(Duration.ofMillis(millis));
  }

  @Test
  void malformedValuesAreIgnored() {
    assertThat(LegacyResetField.resetAfter("NaN", NOW)).isEmpty();
    assertThat(LegacyResetField.resetAfter("-5", NOW)).isEmpty();
    assertThat(LegacyResetField.resetAfter("1e300", NOW)).isEmpty();
    assertThat(LegacyResetField.wholeNumber("-1")).isEmpty();
    assertThat(LegacyResetField.wholeNumber("1234567890123456789")).isEmpty();
    assertThat(LegacyResetField.wholeNumber(" 42 ")).isEqualTo(OptionalLong.of(42));
  }

  @Property
  void anyTextNeverThrowsAndNeverYieldsANegativeNumber(@ForAll String text) {
    assertThatCode(
            () -> {
              LegacyResetField.resetAfter(text, NOW)
                  .ifPresent(d -> assertThat(d.isNegative()).isFalse());
              LegacyResetField.wholeNumber(text).ifPresent(n -> assertThat(n).isNotNegative());
            })
        .doesNotThrowAnyException();
  }
}
