package dev.sluice.throttle.sim;

import dev.sluice.time.ManualTimeSource;
import java.util.function.Supplier;

/** Runs a client against a scenario on manual time, deterministically. */
public final class Simulation {
  private Simulation() {}

  /**
   * Runs one client through one scenario.
   *
   * @param scenario the server and run length
   * @param client creates the client; called once
   * @return the measured outcome
   */
  public static SimResult run(Scenario scenario, Supplier<SimClient> client) {
    ManualTimeSource time = new ManualTimeSource();
    SimEnv env = new SimEnv(scenario, time);
    SimClient strategy = client.get();
    strategy.start(env);
    env.run();
    return env.result(strategy.name());
  }
}
