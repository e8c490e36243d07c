package dev.sluice.durable;

import dev.sluice.durable.store.PostgresExecutionStore;
import java.util.Objects;

/**
 * Connects PostgreSQL's {@code LISTEN/NOTIFY} to an engine: a dispatch, retry or wake-up committed
 * by any process wakes this engine's idle workers to claim at once, and the end of any execution
 * wakes its {@link Durable#waitFor} callers. Polling stays on as the fallback for a lost
 * notification.
 *
 * <pre>{@code
 * try (AutoCloseable wakeups = NotificationWakeups.connect(durable, store)) {
 *   durable.worker(config).start();
 * }
 * }</pre>
 */
public final class NotificationWakeups {
  private NotificationWakeups() {}

  /**
   * Starts delivering the store's notifications to the engine.
   *
   * @param durable the engine whose workers and waiters to wake
   * @param store the PostgreSQL store the engine uses
   * @return a handle that stops the delivery when closed
   */
  public static AutoCloseable connect(Durable durable, PostgresExecutionStore store) {
    Objects.requireNonNull(durable, "durable");
    return store.listen(
        new PostgresExecutionStore.Listener() {
          @Override
          public void dispatched(String queue) {
            durable.wakeWorkers();
          }

          @Override
          public void ended(ExecutionId id) {
            durable.executionEnded();
          }
        });
  }
}
