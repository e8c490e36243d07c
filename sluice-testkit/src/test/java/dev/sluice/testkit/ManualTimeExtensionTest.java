package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.time.ManualTimeSource;
import dev.sluice.time.TimeSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ManualTimeExtension.class)
class ManualTimeExtensionTest {

  @Test
  void injectsOneManualTimeSourcePerTest(ManualTimeSource time, TimeSource same) {
    assertThat(same).isSameAs(time);
    assertThat(time.now()).isEqualTo(ManualTimeSource.DEFAULT_START);
    time.advance(Duration.ofMinutes(1));
    assertThat(same.now()).isEqualTo(ManualTimeSource.DEFAULT_START.plusSeconds(60));
  }

  @Test
  void eachTestStartsAtTheSameInstant(ManualTimeSource time) {
    assertThat(time.now()).isEqualTo(ManualTimeSource.DEFAULT_START);
  }
}
