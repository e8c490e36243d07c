package dev.sluice.durable.store;

/** Whether a checkpointed step has its outcome yet. */
public enum StepStatus {
  /** The outcome is recorded; a re-run returns it without running the step again. */
  DONE,
  /** The step is waiting (a sleep or a signal) until its deadline. */
  WAITING,
  /** The step's deadline passed without the awaited event; a re-run fails the same way. */
  EXPIRED
}
