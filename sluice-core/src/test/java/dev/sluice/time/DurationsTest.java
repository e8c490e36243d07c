package dev.sluice.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
    "250ms, PT0.25S",
    "10s, PT10S",
    "5m, PT5M",
    "2h, PT2H",
    "3d, PT72H",
    "1h30m, PT1H30M",
    "2d8h, PT56H",
    "1m30s500ms, PT1M30.5S",
    "0s, PT0S",
    "1d2h3m4s5ms6us7ns, PT26H3M4.005006007S",
    "PT1H30M, PT1H30M",
    "P2DT8H, PT56H",
    "pt10s, PT10S"
  })
  void acceptsShortFormAndIso(String text, String expected) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @CsvSource({
    "90m, 1h30m",
    "PT90M, 1h30m",
    "1500ms, 1s500ms",
    "48h, 2d",
    "0ms, 0s",
    "P2DT8H, 2d8h"
  })
  void formatsCanonically(String text, String canonical) {
    assertThat(Durations.format(Durations.parse(text))).isEqualTo(canonical);
  }

  @Test
  void rejectsEmptyAndBlank() {
    assertThatThrownBy(() -> Durations.parse(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid duration \"\": it is empty");
    assertThatThrownBy(() -> Durations.parse("   "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"   \"")
        .hasMessageContaining("empty");
  }

  @Test
  void rejectsUnknownUnitNamingIt() {
    assertThatThrownBy(() -> Durations.parse("5x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"5x\"")
        .hasMessageContaining("unknown unit 'x'");
  }

  @Test
  void rejectsTrailingJunk() {
    assertThatThrownBy(() -> Durations.parse("10s5"))
        .hasMessageContaining("\"10s5\"")
        .hasMessageContaining("the number 5 at position 3 has no unit");
    assertThatThrownBy(() -> Durations.parse("10s abc"))
        .hasMessageContaining("\"10s abc\"")
        .hasMessageContaining("white space at position 3");
    assertThatThrownBy(() -> Durations.parse("10s!"))
        .hasMessageContaining("\"10s!\"")
        .hasMessageContaining("'!' at position 3");
  }

  @Test
  void rejectsNumberWithoutUnit() {
    assertThatThrownBy(() -> Durations.parse("10"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"10\"")
        .hasMessageContaining("has no unit");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-5s", "-PT5S", "PT-5S", "PT1H-30M"})
  void rejectsNegativeValues(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + text + "\"")
        .hasMessageContaining("negative");
  }

  @Test
  void rejectsRepeatedAndAscendingUnits() {
    assertThatThrownBy(() -> Durations.parse("1m1h"))
        .hasMessageContaining("\"1m1h\"")
        .hasMessageContaining("largest to smallest, but 'h' follows 'm'");
    assertThatThrownBy(() -> Durations.parse("1s2s"))
        .hasMessageContaining("\"1s2s\"")
        .hasMessageContaining("'s' appears twice");
    assertThatThrownBy(() -> Durations.parse("500ms1s")).hasMessageContaining("'s' follows 'ms'");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "106751991167301d",
        "99999999999999999999s",
        "9223372036854775807d",
        "PT9999999999999999999H",
        "106751991167300d23h59m59s999ms1000000000ns"
      })
  void rejectsOverflow(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + text + "\"")
        .hasMessageContaining("range");
  }

  @ParameterizedTest
  @ValueSource(strings = {"P1Y", "P", "PT", "Pfoo", "s", "ms", "1.5s", "+5s", "5S", "1 h"})
  void rejectsOtherMalformedInputNamingIt(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid duration \"" + text + "\": ");
  }

  @Test
  void refusesToFormatNegative() {
    assertThatThrownBy(() -> Durations.format(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1S");
  }

  @Test
  void formatsTheLargestDuration() {
    Duration max = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
    assertThat(Durations.parse(Durations.format(max))).isEqualTo(max);
  }
}
