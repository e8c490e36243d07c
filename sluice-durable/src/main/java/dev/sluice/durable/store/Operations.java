package dev.sluice.durable.store;

import static dev.sluice.durable.store.Sql.CANCELLED;
import static dev.sluice.durable.store.Sql.CLEAR_LEASE;
import static dev.sluice.durable.store.Sql.DEAD_LETTERS;
import static dev.sluice.durable.store.Sql.EXECUTIONS;
import static dev.sluice.durable.store.Sql.FAILED;
import static dev.sluice.durable.store.Sql.LIVE;
import static dev.sluice.durable.store.Sql.PENDING;
import static dev.sluice.durable.store.Sql.PURGEABLE;

import dev.sluice.durable.ExecutionId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** What operators change: cancellation of a tree, dead-letter replay and discard, purging. */
final class Operations {
  private final Database db;
  private final Dialect dialect;
  private final Ends ends;

  Operations(Database db, Dialect dialect, Ends ends) {
    this.db = db;
    this.dialect = dialect;
    this.ends = ends;
  }

  boolean cancel(ExecutionId executionId, long now) {
    return db.transaction(
        "cancel of " + executionId,
        c -> {
          // the execution, if it is live, and every live execution below it, however deep
          boolean cancelled = false;
          try (PreparedStatement update =
              c.prepareStatement(
                  "WITH RECURSIVE "
                      + dialect.clock()
                      + ", tree(id) AS (SELECT id FROM "
                      + EXECUTIONS
                      + " WHERE id = ? AND state IN "
                      + LIVE
                      + " UNION ALL SELECT e.id FROM "
                      + EXECUTIONS
                      + " e JOIN tree ON e.parent_id = tree.id) UPDATE "
                      + EXECUTIONS
                      + " SET state = "
                      + CANCELLED
                      + ", finished_at = clock.now, updated_at = clock.now, "
                      + CLEAR_LEASE
                      + " FROM clock WHERE id IN (SELECT id FROM tree) AND state IN "
                      + LIVE
                      + " RETURNING id")) {
            dialect.bindNow(update, 1, now);
            update.setString(2, executionId.value());
            try (ResultSet rows = update.executeQuery()) {
              while (rows.next()) {
                ExecutionId id = ExecutionId.of(rows.getString(1));
                if (id.equals(executionId)) {
                  cancelled = true;
                } else {
                  dialect.ended(id);
                }
              }
            }
          }
          if (cancelled) {
            ends.ended(c, executionId, now); // announces it and wakes a parent waiting for it
          }
          return cancelled;
        });
  }

  boolean replay(ExecutionId executionId, long now) {
    return db.transaction(
        "replay of " + executionId,
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM " + DEAD_LETTERS + " WHERE execution_id = ?")) {
            delete.setString(1, executionId.value());
            if (delete.executeUpdate() != 1) {
              return false;
            }
          }
          try (PreparedStatement update =
              c.prepareStatement(
                  dialect.notifyingDue(
                      "WITH "
                          + dialect.clock()
                          + " UPDATE "
                          + EXECUTIONS
                          + " SET state = "
                          + PENDING
                          + ", attempt = 1, scheduled_for = clock.now, error = NULL,"
                          + " finished_at = NULL, started_at = NULL, updated_at = clock.now, "
                          + CLEAR_LEASE
                          + " FROM clock WHERE id = ? AND state = "
                          + FAILED
                          + " RETURNING queue"))) {
            dialect.bindNow(update, 1, now);
            update.setString(2, executionId.value());
            return FencedWrites.changed(update);
          }
        });
  }

  boolean discard(ExecutionId executionId) {
    return db.statement(
        "discard of " + executionId,
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM " + DEAD_LETTERS + " WHERE execution_id = ?")) {
            delete.setString(1, executionId.value());
            return delete.executeUpdate() == 1;
          }
        });
  }

  int purgeFinished(long finishedBefore, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("purge batch size must be >= 1, was " + batchSize);
    }
    return db.statement(
        "purge",
        c -> {
          // steps and signals go with their execution (ON DELETE CASCADE)
          try (PreparedStatement delete =
              c.prepareStatement(
                  "DELETE FROM "
                      + EXECUTIONS
                      + " WHERE id IN (SELECT id FROM "
                      + EXECUTIONS
                      + " WHERE state IN "
                      + PURGEABLE
                      + " AND finished_at < ? LIMIT ?"
                      + dialect.skipLocked()
                      + ")")) {
            delete.setLong(1, finishedBefore);
            delete.setInt(2, batchSize);
            return delete.executeUpdate();
          }
        });
  }
}
