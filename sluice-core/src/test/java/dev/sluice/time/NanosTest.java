package dev.sluice.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class NanosTest {

  @Property
  void saturatedAddEqualsExactSumClampedToLongRange(@ForAll long a, @ForAll long b) {
    BigInteger exact = BigInteger.valueOf(a).add(BigInteger.valueOf(b));
    BigInteger clamped =
        exact.max(BigInteger.valueOf(Long.MIN_VALUE)).min(BigInteger.valueOf(Long.MAX_VALUE));
    assertThat(Nanos.saturatedAdd(a, b)).isEqualTo(clamped.longValueExact());
  }

  @Test
  void saturatedConversionClampsHugeDurations() {
    assertThat(Nanos.saturated(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    assertThat(Nanos.saturated(Duration.ofSeconds(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
    assertThat(Nanos.saturated(Duration.ofMillis(3))).isEqualTo(3_000_000L);
  }
}
