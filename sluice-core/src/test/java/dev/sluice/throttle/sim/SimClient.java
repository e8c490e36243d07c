package dev.sluice.throttle.sim;

/** A client strategy under simulation: starts its workers, which then run on simulated time. */
public interface SimClient {
  /** The name shown in result tables. */
  String name();

  /** Starts the workers; they send through {@link SimEnv#send} until {@link SimEnv#over()}. */
  void start(SimEnv env);
}
