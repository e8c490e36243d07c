package dev.sluice.bench.throttle;

import dev.sluice.throttle.sim.SimulationTable;

/**
 * Runs the deterministic throttle simulation (a server with a hidden token-bucket limit, 10
 * simulated minutes per run) for Sluice and the baselines, and prints the Markdown table that
 * {@code docs/benchmarks.md} shows. Simulated time makes it independent of the machine:
 *
 * <pre>
 * java -cp sluice-bench/target/benchmarks.jar dev.sluice.bench.throttle.ThrottleSimulationBenchmark
 * </pre>
 */
public final class ThrottleSimulationBenchmark {
  private ThrottleSimulationBenchmark() {}

  /**
   * Prints the table.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    SimulationTable.main(args);
  }
}
