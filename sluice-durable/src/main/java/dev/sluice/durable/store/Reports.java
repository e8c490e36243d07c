package dev.sluice.durable.store;

import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The reads both stores answer with the same SQL over their own table names: an execution's steps,
 * counts by state, the dead-letter count and dead-letter pages.
 */
final class Reports {
  private Reports() {}

  /** The steps of one execution, in sequence order. */
  static List<StepRecord> steps(Connection c, String steps, ExecutionId executionId)
      throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT seq, name, kind, status, outcome, deadline, recorded_at FROM "
                + steps
                + " WHERE execution_id = ? ORDER BY seq")) {
      query.setString(1, executionId.value());
      try (ResultSet rows = query.executeQuery()) {
        List<StepRecord> page = new ArrayList<>();
        while (rows.next()) {
          page.add(Rows.toStep(executionId, rows));
        }
        return page;
      }
    }
  }

  /**
   * Checks that a step is recorded under its own execution's lease.
   *
   * @throws IllegalArgumentException if the step belongs to another execution
   */
  static void checkStepLease(Lease lease, StepRecord step) {
    if (!step.executionId().equals(lease.executionId())) {
      throw new IllegalArgumentException(
          "step of " + step.executionId() + " recorded under the lease of " + lease);
    }
  }

  /** Every state with its count, zeros included. */
  static Map<ExecutionState, Long> countByState(Connection c, String executions)
      throws SQLException {
    Map<ExecutionState, Long> counts = new EnumMap<>(ExecutionState.class);
    for (ExecutionState state : ExecutionState.values()) {
      counts.put(state, 0L);
    }
    try (Statement query = c.createStatement();
        ResultSet rows =
            query.executeQuery("SELECT state, COUNT(*) FROM " + executions + " GROUP BY state")) {
      while (rows.next()) {
        counts.put(ExecutionState.fromStored(rows.getString(1)), rows.getLong(2));
      }
    }
    return counts;
  }

  static long countDeadLetters(Connection c, String deadLetters) throws SQLException {
    try (Statement query = c.createStatement();
        ResultSet rows = query.executeQuery("SELECT COUNT(*) FROM " + deadLetters)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /**
   * Checks a dead-letter page request before any connection is taken.
   *
   * @throws IllegalArgumentException if {@code limit < 1} or {@code offset < 0}
   */
  static void checkPage(int limit, int offset) {
    if (limit < 1 || offset < 0) {
      throw new IllegalArgumentException(
          "dead-letter page needs limit >= 1 and offset >= 0, was limit "
              + limit
              + ", offset "
              + offset);
    }
  }

  /** Dead letters, oldest failure first. */
  static List<DeadLetter> deadLetters(Connection c, String deadLetters, int limit, int offset)
      throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT execution_id, task, queue, error, attempts, failed_at FROM "
                + deadLetters
                + " ORDER BY failed_at, execution_id LIMIT ? OFFSET ?")) {
      query.setInt(1, limit);
      query.setInt(2, offset);
      try (ResultSet rows = query.executeQuery()) {
        List<DeadLetter> page = new ArrayList<>();
        while (rows.next()) {
          page.add(
              new DeadLetter(
                  ExecutionId.of(rows.getString(1)),
                  rows.getString(2),
                  rows.getString(3),
                  rows.getString(4),
                  rows.getInt(5),
                  rows.getLong(6)));
        }
        return page;
      }
    }
  }
}
