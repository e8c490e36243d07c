package dev.sluice.durable.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Taking a buffered signal as a checkpointed step, the same in both stores. */
final class Signals {
  private Signals() {}

  /** Writes a step under its lease; {@code false} if the lease was lost. */
  @FunctionalInterface
  interface StepWriter {
    boolean write(Connection c, Lease lease, StepRecord step) throws SQLException;
  }

  /**
   * Inside the caller's transaction: takes the oldest unconsumed signal {@code name} of the lease's
   * execution, records it as step {@code sequence} and marks it consumed by that step.
   *
   * @param signals the signals table
   * @param lock what follows the oldest-signal query to lock its row ("" where the transaction
   *     already excludes other writers)
   * @return the payload, or empty if no such signal is waiting or the lease was lost
   */
  static Optional<String> consume(
      Connection c,
      String signals,
      String lock,
      Lease lease,
      String name,
      int sequence,
      String stepName,
      long now,
      StepWriter steps)
      throws SQLException {
    long signalId;
    String payload;
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT id, payload FROM "
                + signals
                + " WHERE execution_id = ? AND name = ? AND consumed_at IS NULL ORDER BY id"
                + " LIMIT 1"
                + lock)) {
      query.setString(1, lease.executionId().value());
      query.setString(2, name);
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        signalId = rows.getLong(1);
        payload = rows.getString(2);
      }
    }
    StepRecord step =
        new StepRecord(
            lease.executionId(),
            sequence,
            stepName,
            StepKind.SIGNAL,
            StepStatus.DONE,
            payload,
            null,
            now);
    if (!steps.write(c, lease, step)) {
      return Optional.empty();
    }
    try (PreparedStatement consume =
        c.prepareStatement(
            "UPDATE " + signals + " SET consumed_at = ?, consumed_by_seq = ? WHERE id = ?")) {
      consume.setLong(1, now);
      consume.setInt(2, sequence);
      consume.setLong(3, signalId);
      consume.executeUpdate();
    }
    return Optional.of(payload);
  }
}
