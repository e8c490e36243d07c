package dev.sluice.throttle.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The acceptance targets (without headers: at least 0.90 of the limit, at most 2% refused), on a
 * simulated server with a hidden token-bucket limit (50/s, burst 50, 120 ms +-25% round trip, 64
 * callers, 10 simulated minutes).
 */
class SimulationTest {

  @Test
  void withRateLimitHeadersItHoldsAtLeast97PercentOfTheLimitWithAtMostOnePercentRejected() {
    SimResult result = Simulation.run(Scenario.standard(true, false), SluiceClient::standard);
    assertThat(result.goodput()).isGreaterThanOrEqualTo(0.97);
    assertThat(result.rejectedShare()).isLessThanOrEqualTo(0.01);
  }

  @Test
  void withoutHeadersItHoldsAtLeast90PercentOfTheLimitWithAtMostTwoPercentRejected() {
    SimResult result = Simulation.run(Scenario.standard(false, false), SluiceClient::standard);
    assertThat(result.goodput()).isGreaterThanOrEqualTo(0.90);
    assertThat(result.rejectedShare()).isLessThanOrEqualTo(0.02);
  }

  @Test
  void withHeadersRejectionsSettleWithinTenSecondsAfterTheLimitHalves() {
    SimResult result = Simulation.run(Scenario.standard(true, true), SluiceClient::standard);
    assertThat(result.rejectionsStopAfter()).isLessThanOrEqualTo(Duration.ofSeconds(10));
    assertThat(result.goodput()).isGreaterThanOrEqualTo(0.97);
    assertThat(result.rejectedShare()).isLessThanOrEqualTo(0.01);
  }

  @Test
  void withoutHeadersRejectionsSettleWithinTenSecondsAfterTheLimitHalves() {
    SimResult result = Simulation.run(Scenario.standard(false, true), SluiceClient::standard);
    assertThat(result.rejectionsStopAfter()).isLessThanOrEqualTo(Duration.ofSeconds(10));
    assertThat(result.goodput()).isGreaterThanOrEqualTo(0.90);
    assertThat(result.rejectedShare()).isLessThanOrEqualTo(0.02);
  }

  @Test
  void aRunIsAPureFunctionOfItsScenario() {
    SimResult first = Simulation.run(Scenario.standard(false, true), SluiceClient::standard);
    SimResult second = Simulation.run(Scenario.standard(false, true), SluiceClient::standard);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void theOracleReachesTheLimitWhichShowsTheServerModelIsFair() {
    SimResult oracle = Simulation.run(Scenario.standard(false, false), FixedRateClient::new);
    assertThat(oracle.goodput()).isBetween(0.99, 1.01);
    assertThat(oracle.rejected()).isZero();
  }
}
