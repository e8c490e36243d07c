package dev.sluice.throttle.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hardest cells of the real-HTTP grid, simulated (64 callers, {@code maxConcurrency(32)}, 2
 * minutes, round trip uniform within +-60% of its mean): the slowest and fastest limits with no
 * burst allowance at the shortest and longest round trip, and the limit halving and doubling.
 * Figures and the cells that miss the goals are explained in docs/benchmarks.md.
 */
class SimulationGridTest {

  static Stream<SimHeaders> headerKinds() {
    return Stream.of(SimHeaders.values());
  }

  @ParameterizedTest
  @MethodSource("headerKinds")
  void aLimitOfFiftyWithABurstOfTenIsHeldWithFewRefusals(SimHeaders headers) {
    SimResult r = run(Scenario.cell(50, 10, 50, headers, null, 1));
    assertThat(r.goodput()).isGreaterThanOrEqualTo(headers == SimHeaders.IETF ? 0.97 : 0.90);
    assertThat(r.rejectedShare()).isLessThanOrEqualTo(headers == SimHeaders.IETF ? 0.005 : 0.02);
    assertThat(r.firstSecondRejected()).isZero();
  }

  @ParameterizedTest
  @MethodSource("headerKinds")
  void afterTheLimitHalvesRefusalsSettleWithinTenSeconds(SimHeaders headers) {
    SimResult r = run(Scenario.cell(50, 10, 50, headers, Duration.ofSeconds(40), 0.5));
    assertThat(r.rejectionsStopAfter()).isLessThanOrEqualTo(Duration.ofSeconds(10));
    assertThat(r.goodput()).isGreaterThanOrEqualTo(0.90);
  }

  @ParameterizedTest
  @MethodSource("headerKinds")
  void afterTheLimitDoublesItReachesNinetyPercentOfTheNewLimitWithinAMinute(SimHeaders headers) {
    SimResult r = run(Scenario.cell(50, 10, 50, headers, Duration.ofSeconds(40), 2));
    assertThat(r.reachedAfter()).isNotNull().isLessThanOrEqualTo(Duration.ofSeconds(60));
  }

  @ParameterizedTest
  @MethodSource("headerKinds")
  void noBurstAllowanceAtTheExtremesOfLimitAndRoundTrip(SimHeaders headers) {
    for (double limit : new double[] {5, 200}) {
      for (int rtt : new int[] {10, 200}) {
        SimResult r = run(Scenario.cell(limit, 1, rtt, headers, null, 1));
        // 32 calls in flight carry at most 32 / rtt: 160/s at 200 ms, below a limit of 200
        double ceiling = Math.min(1, 32 / (limit * rtt / 1000.0));
        if (headers == SimHeaders.IETF) {
          assertThat(r.goodput() / ceiling).as(r.row()).isGreaterThanOrEqualTo(0.9);
          assertThat(r.rejectedShare()).as(r.row()).isLessThanOrEqualTo(0.005);
        } else {
          // without headers every probe above a no-burst limit is refused: these cells miss the
          // 0.90 goal (see docs/benchmarks.md); the bounds keep what has been reached
          assertThat(r.goodput() / ceiling).as(r.row()).isGreaterThanOrEqualTo(0.65);
          assertThat(r.rejectedShare()).as(r.row()).isLessThanOrEqualTo(0.05);
        }
        assertThat(r.firstSecondRejected()).as(r.row()).isLessThanOrEqualTo(2);
      }
    }
  }

  private static SimResult run(Scenario cell) {
    return Simulation.run(cell, SluiceClient::standard);
  }
}
