package dev.sluice.durable.store;

import static dev.sluice.durable.store.Sql.EXECUTIONS;
import static dev.sluice.durable.store.Sql.PENDING;

import dev.sluice.durable.ExecutionId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/** Inserting executions, deduplicated by id and by task and idempotency key. */
final class Dispatches {
  private final Database db;
  private final Dialect dialect;

  Dispatches(Database db, Dialect dialect) {
    this.db = db;
    this.dialect = dialect;
  }

  Dispatched dispatch(NewExecution execution) {
    return db.transaction(
        "dispatch of " + execution.id(), c -> insertAll(c, List.of(execution)).get(0));
  }

  List<Dispatched> dispatchAll(List<NewExecution> executions) {
    if (executions.isEmpty()) {
      return List.of();
    }
    return db.transaction(
        "dispatch of " + executions.size() + " executions", c -> insertAll(c, executions));
  }

  private List<Dispatched> insertAll(Connection c, List<NewExecution> executions)
      throws SQLException {
    int[] counts;
    // "WHERE TRUE" keeps SQLite from reading ON CONFLICT as a join constraint
    try (PreparedStatement insert =
        c.prepareStatement(
            "WITH "
                + dialect.clock()
                + " INSERT INTO "
                + EXECUTIONS
                + " (id, task, queue, tags, priority, state, input, idempotency_key, parent_id,"
                + " attempt, max_attempts, retry, created_at, scheduled_for, expires_at,"
                + " updated_at, fence) SELECT ?, ?, ?, ?, ?, "
                + PENDING
                + ", ?, ?, ?, 1, ?, ?, clock.now, clock.now + ?, clock.now + ?, clock.now, 0"
                + " FROM clock WHERE TRUE ON CONFLICT DO NOTHING")) {
      for (NewExecution e : executions) {
        dialect.bindNow(insert, 1, e.createdAt());
        insert.setString(2, e.id().value());
        insert.setString(3, e.task());
        insert.setString(4, e.queue());
        dialect.bindTags(insert, 5, e.tags());
        insert.setInt(6, e.priority());
        insert.setString(7, e.inputJson());
        insert.setString(8, e.idempotencyKey());
        insert.setString(9, e.parentId() == null ? null : e.parentId().value());
        insert.setInt(10, e.maxAttempts());
        insert.setString(11, e.retryJson());
        insert.setLong(12, Delays.between(e.createdAt(), e.scheduledFor()));
        if (e.expiresAt() == null) {
          insert.setNull(13, Types.BIGINT);
        } else {
          insert.setLong(13, Delays.between(e.createdAt(), e.expiresAt()));
        }
        insert.addBatch();
      }
      counts = insert.executeBatch();
    }
    List<Dispatched> results = new ArrayList<>(executions.size());
    List<String> queues = new ArrayList<>();
    for (int i = 0; i < executions.size(); i++) {
      NewExecution e = executions.get(i);
      if (counts[i] == 1) {
        results.add(new Dispatched(e.id(), true));
        if (!queues.contains(e.queue())) {
          queues.add(e.queue());
        }
      } else {
        results.add(new Dispatched(existing(c, e), false));
      }
    }
    for (String queue : queues) {
      dialect.due(c, queue);
    }
    return results;
  }

  /** The execution a conflicting insert ran into: the same id, or the same idempotency key. */
  private static ExecutionId existing(Connection c, NewExecution e) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT id FROM "
                + EXECUTIONS
                + " WHERE id = ? OR (task = ? AND idempotency_key = ?)"
                + " ORDER BY id = ? DESC LIMIT 1")) {
      query.setString(1, e.id().value());
      query.setString(2, e.task());
      query.setString(3, e.idempotencyKey());
      query.setString(4, e.id().value());
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw new SQLException("insert of " + e.id() + " conflicted but no row matches");
        }
        return ExecutionId.of(rows.getString(1));
      }
    }
  }
}
