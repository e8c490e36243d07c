package dev.sluice.durable.store;

import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Maps rows of either store's tables to records; the stores differ only in how tags are kept. */
final class Rows {
  private Rows() {}

  static ExecutionRecord toRecord(ResultSet rows, List<String> tags) throws SQLException {
    String parent = rows.getString("parent_id");
    return new ExecutionRecord(
        ExecutionId.of(rows.getString("id")),
        rows.getString("task"),
        rows.getString("queue"),
        tags,
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
    return new StepRecord(
        executionId,
        rows.getInt(1),
        rows.getString(2),
        StepKind.valueOf(rows.getString(3)),
        StepStatus.valueOf(rows.getString(4)),
        rows.getString(5),
        nullableLong(rows, 6),
        rows.getLong(7));
  }

  static @Nullable Long nullableLong(ResultSet rows, String column) throws SQLException {
    long value = rows.getLong(column);
    return rows.wasNull() ? null : value;
  }

  /** Reads the column and asks {@code wasNull} right after it, before any other column is read. */
  static @Nullable Long nullableLong(ResultSet rows, int column) throws SQLException {
    long value = rows.getLong(column);
    return rows.wasNull() ? null : value;
  }
}
