package dev.sluice.durable;

import dev.sluice.durable.store.Awaiting;

/**
 * Unwinds a handler that must wait (a sleep, a signal, a child) so its worker can suspend the
 * execution. An {@link Error} so that handlers catching {@code Exception} let it pass; it carries
 * no stack trace because it is control flow, not a failure.
 */
final class Suspension extends Error {
  private static final long serialVersionUID = 1L;

  /** When the execution becomes due at the latest, UTC epoch milliseconds. */
  final long wakeAt;

  /** The event that makes it due earlier, or null. */
  final transient Awaiting awaiting;

  Suspension(long wakeAt, Awaiting awaiting) {
    super("execution suspended until " + wakeAt, null, false, false);
    this.wakeAt = wakeAt;
    this.awaiting = awaiting;
  }
}
