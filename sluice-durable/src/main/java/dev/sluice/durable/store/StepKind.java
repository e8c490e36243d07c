package dev.sluice.durable.store;

/** What a checkpointed step of a handler was. */
public enum StepKind {
  /** {@code ctx.step(name, body)}: the body's result. */
  STEP,
  /** {@code ctx.call(task, input)}: the child's result. */
  CALL,
  /** {@code ctx.sleep(duration)}: the wake-up time. */
  SLEEP,
  /** {@code ctx.awaitSignal(name, timeout)}: the signal's payload. */
  SIGNAL
}
