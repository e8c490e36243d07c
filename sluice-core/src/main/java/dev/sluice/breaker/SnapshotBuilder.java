package dev.sluice.breaker;

/** The mutable fields of a snapshot while the states fill them in. */
final class SnapshotBuilder {
  int consecutiveFailures;
  int windowCalls;
  float windowFailureRate = -1;
  float windowSlowCallRate = -1;
  int probesInFlight;
  int probeSuccesses;
}
