package dev.sluice.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallMeterTest {
  private static final long MS = 1_000_000L;

  @Test
  void aMarkCountsOnlyTheSuccessesOfCallsBookedAfterIt() {
    CallMeter meter = new CallMeter(0);
    meter.mark(1_000 * MS);
    meter.record(1_100 * MS, 50 * MS, 900 * MS); // booked at the old rate, dispatched after
    meter.record(1_200 * MS, 50 * MS, 1_000 * MS);
    meter.record(1_300 * MS, 50 * MS, 1_150 * MS);
    assertThat(meter.sinceMark()).isEqualTo(2);
    assertThat(meter.total()).isEqualTo(3);
  }
}
