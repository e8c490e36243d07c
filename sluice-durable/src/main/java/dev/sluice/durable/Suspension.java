package dev.sluice.durable;

import dev.sluice.ExecutionSuspended;
import dev.sluice.durable.store.Awaiting;
import org.jspecify.annotations.Nullable;

/**
 * Unwinds a handler that must wait (a sleep, a signal, a child) so its worker can suspend the
 * execution. Every policy a worker runs handlers through recognises it as no outcome (see {@link
 * ExecutionSuspended}).
 */
final class Suspension extends ExecutionSuspended {
  private static final long serialVersionUID = 1L;

  /** When the execution becomes due at the latest, UTC epoch milliseconds. */
  final long wakeAt;

  /** The event that makes it due earlier, or null. */
  final transient @Nullable Awaiting awaiting;

  Suspension(long wakeAt, @Nullable Awaiting awaiting) {
    super("execution suspended until " + wakeAt);
    this.wakeAt = wakeAt;
    this.awaiting = awaiting;
  }
}
