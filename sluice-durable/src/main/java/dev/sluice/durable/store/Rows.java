package dev.sluice.durable.store;

import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionState;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Maps rows of the PostgreSQL store's tables to records. */
final class PostgresRows {
  private PostgresRows() {}

  static ExecutionRecord toRecord(ResultSet rows) throws SQLException {
    String parent = rows.getString("parent_id");
    return new ExecutionRecord(
        ExecutionId.of(rows.getString("id")),
        rows.getString("task"),
        rows.getString("queue"),
        PostgresExecutionStore.strings(rows.getArray("tags")),
        rows.getInt("priority"),
        ExecutionState.fromStored(rows.getString("state")),
        rows.getString("input"),
        rows.getString("result"),
        rows.getString("error"),
        rows.getString("idempotency_key"),
        parent == null ? null : ExecutionId.of(parent),
        rows.getInt("attempt"),
        rows.getInt("max_attempts"),
        rows.getString("retry"),
        rows.getLong("created_at"),
        rows.getLong("scheduled_for"),
        nullableLong(rows, "expires_at"),
        nullableLong(rows, "started_at"),
        nullableLong(rows, "finished_at"),
        rows.getString("worker_id"),
        nullableLong(rows, "lease_expires_at"),
        rows.getLong("fence"));
  }

  static StepRecord toStep(ExecutionId executionId, ResultSet rows) throws SQLException {
    long deadline = rows.getLong(6);
    return new StepRecord(
        executionId,
        rows.getInt(1),
        rows.getString(2),
        StepKind.valueOf(rows.getString(3)),
        StepStatus.valueOf(rows.getString(4)),
        rows.getString(5),
        rows.wasNull() ? null : deadline,
        rows.getLong(7));
  }

  private static Long nullableLong(ResultSet rows, String column) throws SQLException {
    long value = rows.getLong(column);
    return rows.wasNull() ? null : value;
  }
}
