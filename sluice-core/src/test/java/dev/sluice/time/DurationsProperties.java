package dev.sluice.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

class DurationsProperties {

  /** The short-form grammar, written independently of the parser, as the reference model. */
  private static final Pattern SHORT_FORM =
      Pattern.compile("(\\d+d)?(\\d+h)?(\\d+m)?(\\d+s)?(\\d+ms)?(\\d+us)?(\\d+ns)?");

  @Property
  void formatThenParseIsIdentity(
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long seconds,
      @ForAll @LongRange(min = 0, max = 999_999_999) long nanos) {
    Duration duration = Duration.ofSeconds(seconds, nanos);
    assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
  }

  @Property
  void formatIsCanonical(@ForAll("validShortForms") String text) {
    String canonical = Durations.format(Durations.parse(text));
    assertThat(Durations.format(Durations.parse(canonical))).isEqualTo(canonical);
    assertThat(Durations.parse(canonical)).isEqualTo(Durations.parse(text));
  }

  @Property(tries = 2000)
  void acceptsExactlyTheGrammar(@ForAll("junk") String text) {
    boolean grammatical = !text.isEmpty() && SHORT_FORM.matcher(text).matches();
    if (grammatical) {
      assertThat(Durations.parse(text).isNegative()).isFalse();
    } else {
      assertThatThrownBy(() -> Durations.parse(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("invalid duration \"" + text + "\": ");
    }
  }

  @Provide
  Arbitrary<String> junk() {
    // small numbers so every grammatical string stays in range
    return Arbitraries.strings().withChars("0123456789dhmsnuxX -+.").ofMinLength(0).ofMaxLength(8);
  }

  @Provide
  Arbitrary<String> validShortForms() {
    Arbitrary<Long> amount = Arbitraries.longs().between(0, 100_000);
    String[] units = {"d", "h", "m", "s", "ms", "us", "ns"};
    return Arbitraries.subsetOf(0, 1, 2, 3, 4, 5, 6)
        .ofMinSize(1)
        .flatMap(
            chosen ->
                amount
                    .list()
                    .ofSize(chosen.size())
                    .map(
                        amounts -> {
                          StringBuilder text = new StringBuilder();
                          int i = 0;
                          for (int unit = 0; unit < units.length; unit++) {
                            if (chosen.contains(unit)) {
                              text.append(amounts.get(i++)).append(units[unit]);
                            }
                          }
                          return text.toString();
                        }));
  }
}
