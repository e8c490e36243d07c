package dev.sluice.throttle.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hardest cells of the real-HTTP grid, simulated: the slowest and fastest limits, no burst
 * allowance, the longest round trip, each kind of header, and the limit halving and doubling.
 */
class SimulationGridTest {

  static List<Scenario> hardestCells() {
    List<Scenario> cells = new ArrayList<>();
    for (SimHeaders headers : SimHeaders.values()) {
      for (double limit : new double[] {5, 200}) {
        for (int rtt : new int[] {10, 200}) {
          cells.add(Scenario.cell(limit, 1, rtt, headers, null, 1));
        }
      }
      cells.add(Scenario.cell(50, 10, 50, headers, null, 1));
      cells.add(Scenario.cell(50, 50, 50, headers, null, 1));
      cells.add(Scenario.cell(50, 10, 50, headers, Duration.ofSeconds(40), 0.5));
      cells.add(Scenario.cell(50, 10, 50, headers, Duration.ofSeconds(40), 2));
    }
    return cells;
  }

  @Test
  void printGrid() {
    for (Scenario cell : hardestCells()) {
      SimResult r = Simulation.run(cell, SluiceClient::standard);
      System.out.println(r.row());
    }
    assertThat(true).isTrue();
  }
}
