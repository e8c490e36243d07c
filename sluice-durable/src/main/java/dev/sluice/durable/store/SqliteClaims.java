package dev.sluice.durable.store;

import static dev.sluice.durable.store.Sql.CLEAR_LEASE;
import static dev.sluice.durable.store.Sql.EXECUTIONS;
import static dev.sluice.durable.store.Sql.EXPIRED;
import static dev.sluice.durable.store.Sql.LIVE;
import static dev.sluice.durable.store.Sql.PENDING;
import static dev.sluice.durable.store.Sql.RUNNING;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Claims in SQLite: inside the one writer's transaction, first the executions past their maximum
 * duration expire, then one {@code UPDATE .. WHERE id IN (SELECT .. LIMIT n) RETURNING *} per kind
 * of due row takes them; the single writer needs no row locks.
 */
final class SqliteClaims implements Claims {
  private final Database db;

  SqliteClaims(Database db) {
    this.db = db;
  }

  @Override
  public List<ExecutionRecord> claim(ClaimRequest request) {
    return db.transaction(
        "claim by worker " + request.workerId(),
        c -> {
          expireDue(c, request.now());
          // executions whose worker stopped heartbeating first, then due pending ones; two
          // statements so that each walks its own index in order instead of sorting a union
          List<ExecutionRecord> claimed =
              claimWhere(
                  c,
                  request,
                  "e.state = " + RUNNING + " AND e.lease_expires_at <= ?",
                  request.limit());
          if (claimed.size() < request.limit()) {
            claimed.addAll(
                claimWhere(
                    c,
                    request,
                    "e.state = " + PENDING + " AND e.scheduled_for <= ?",
                    request.limit() - claimed.size()));
          }
          return claimed;
        });
  }

  private static List<ExecutionRecord> claimWhere(
      Connection c, ClaimRequest request, String due, int limit) throws SQLException {
    List<String> queues = request.queues();
    String queueFilter =
        queues.size() == 1
            ? "e.queue = ?"
            : "e.queue IN (" + String.join(", ", Collections.nCopies(queues.size(), "?")) + ")";
    String sql =
        "UPDATE "
            + EXECUTIONS
            + " SET state = "
            + RUNNING
            + ", worker_id = ?, lease_expires_at = ?, lease_millis = ?, fence = fence + 1,"
            + " started_at = ?, updated_at = ?, awaiting = NULL WHERE id IN (SELECT e.id FROM "
            + EXECUTIONS
            + " e WHERE "
            + due
            + " AND "
            + queueFilter
            + " AND e.task IN (SELECT value FROM json_each(?))"
            + " AND (e.expires_at IS NULL OR e.expires_at > ?)"
            + " AND (e.tags IS NULL OR NOT EXISTS (SELECT 1 FROM json_each(e.tags) t"
            + " WHERE t.value NOT IN (SELECT value FROM json_each(?))))"
            + " ORDER BY e.priority DESC, e.scheduled_for, e.rowid LIMIT ?)"
            + " RETURNING *";
    try (PreparedStatement claim = c.prepareStatement(sql)) {
      long now = request.now();
      int i = 1;
      claim.setString(i++, request.workerId());
      claim.setLong(i++, now + request.leaseMillis());
      claim.setLong(i++, request.leaseMillis());
      claim.setLong(i++, now);
      claim.setLong(i++, now);
      claim.setLong(i++, now);
      for (String queue : queues) {
        claim.setString(i++, queue);
      }
      claim.setString(i++, SqliteDialect.json(request.tasks()));
      claim.setLong(i++, now);
      claim.setString(i++, SqliteDialect.json(List.copyOf(request.workerTags())));
      claim.setInt(i, limit);
      // RETURNING rows come back through executeQuery with sqlite-jdbc
      try (ResultSet rows = claim.executeQuery()) {
        List<ExecutionRecord> claimed = new ArrayList<>();
        while (rows.next()) {
          claimed.add(Rows.toRecord(rows, SqliteDialect.INSTANCE.tags(rows)));
        }
        return claimed;
      }
    }
  }

  private static void expireDue(Connection c, long now) throws SQLException {
    try (PreparedStatement expire =
        c.prepareStatement(
            "UPDATE "
                + EXECUTIONS
                + " SET state = "
                + EXPIRED
                + ", finished_at = ?, updated_at = ?, error = 'maximum duration passed', "
                + CLEAR_LEASE
                + " WHERE state IN "
                + LIVE
                + " AND expires_at IS NOT NULL AND expires_at <= ?")) {
      expire.setLong(1, now);
      expire.setLong(2, now);
      expire.setLong(3, now);
      expire.executeUpdate();
    }
  }
}
