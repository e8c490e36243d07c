package dev.sluice.throttle.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Runs every client through the four acceptance scenarios and prints one Markdown table. */
public final class SimulationTable {
  private SimulationTable() {}

  /** The clients compared, Sluice first. */
  public static List<Supplier<SimClient>> clients() {
    return List.of(
        SluiceClient::standard,
        FixedRateClient::new,
        () -> new GentlifyClient(32),
        AwsCubicClient::new,
        RetryBackoffClient::new);
  }

  /** The four acceptance scenarios. */
  public static List<Scenario> scenarios() {
    return List.of(
        Scenario.standard(true, false),
        Scenario.standard(false, false),
        Scenario.standard(true, true),
        Scenario.standard(false, true));
  }

  /** Runs everything and returns the table's lines. */
  public static List<String> table() {
    List<String> lines = new ArrayList<>();
    lines.add(
        "| client | scenario | goodput / L | rejected | 429s in 1st s | 0.9 of a raised limit after | 429s settle after a change |");
    lines.add("| --- | --- | ---: | ---: | ---: |");
    for (Scenario scenario : scenarios()) {
      for (Supplier<SimClient> client : clients()) {
        lines.add(Simulation.run(scenario, client).row());
      }
    }
    return lines;
  }

  /**
   * Prints the table.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    table().forEach(System.out::println);
  }
}
