package dev.sluice.durable.store;

import static dev.sluice.durable.store.Sql.CLEAR_LEASE;
import static dev.sluice.durable.store.Sql.COMPLETED;
import static dev.sluice.durable.store.Sql.DEAD_LETTERS;
import static dev.sluice.durable.store.Sql.EXECUTIONS;
import static dev.sluice.durable.store.Sql.FAILED;
import static dev.sluice.durable.store.Sql.FENCED;
import static dev.sluice.durable.store.Sql.PENDING;
import static dev.sluice.durable.store.Sql.SIGNALS;
import static dev.sluice.durable.store.Sql.TERMINAL;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The writes a worker makes under a lease after its claim: heartbeat, completion, retry, failure
 * with its dead letter, suspension and release. Each changes the row only while it is running under
 * the lease's fence.
 */
class FencedWrites {
  final Database db;
  final Dialect dialect;
  final Ends ends;

  FencedWrites(Database db, Dialect dialect, Ends ends) {
    this.db = db;
    this.dialect = dialect;
    this.ends = ends;
  }

  boolean heartbeat(Lease lease, long leaseExpiresAt) {
    return db.statement(
        "heartbeat of " + lease,
        c -> {
          // on the database's clock the lease is renewed for its claimed length from its now
          try (PreparedStatement update =
              c.prepareStatement(
                  "WITH "
                      + dialect.clock()
                      + " UPDATE "
                      + EXECUTIONS
                      + " SET lease_expires_at = COALESCE(CAST(? AS BIGINT),"
                      + " clock.now + lease_millis) FROM clock WHERE"
                      + FENCED)) {
            dialect.bindNow(update, 1, leaseExpiresAt);
            dialect.bindNow(update, 2, leaseExpiresAt);
            setLease(update, 3, lease);
            return update.executeUpdate() == 1;
          }
        });
  }

  boolean complete(Lease lease, String resultJson, long now) {
    Objects.requireNonNull(resultJson, "resultJson (the text null stands for a null result)");
    return db.transaction("completion of " + lease, c -> completeOne(c, lease, resultJson, now));
  }

  List<Boolean> completeAll(List<Completion> completions) {
    if (completions.isEmpty()) {
      return List.of();
    }
    return db.transaction(
        "completion of " + completions.size() + " executions",
        c -> {
          List<Boolean> accepted = new ArrayList<>(completions.size());
          for (Completion completion : completions) {
            accepted.add(
                completeOne(c, completion.lease(), completion.resultJson(), completion.now()));
          }
          return accepted;
        });
  }

  private boolean completeOne(Connection c, Lease lease, String resultJson, long now)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(ended(COMPLETED, "result = ?, error = NULL"))) {
      dialect.bindNow(update, 1, now);
      update.setString(2, resultJson);
      setLease(update, 3, lease);
      if (update.executeUpdate() != 1) {
        return false;
      }
    }
    ends.ended(c, lease.executionId(), now);
    return true;
  }

  boolean retry(Lease lease, String error, long scheduledFor, long now) {
    return db.statement(
        "retry of " + lease,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  backToPending(
                      "scheduled_for = clock.now + ?, attempt = attempt + 1, error = ?"))) {
            dialect.bindNow(update, 1, now);
            update.setLong(2, Delays.between(now, scheduledFor));
            update.setString(3, error);
            setLease(update, 4, lease);
            return changed(update);
          }
        });
  }

  boolean fail(Lease lease, String error, long now) {
    return db.transaction(
        "failure of " + lease,
        c -> {
          try (PreparedStatement update = c.prepareStatement(ended(FAILED, "error = ?"))) {
            dialect.bindNow(update, 1, now);
            update.setString(2, error);
            setLease(update, 3, lease);
            if (update.executeUpdate() != 1) {
              return false;
            }
          }
          try (PreparedStatement letter =
              c.prepareStatement(
                  "INSERT INTO "
                      + DEAD_LETTERS
                      + " (execution_id, task, queue, error, attempts, failed_at)"
                      + " SELECT id, task, queue, error, attempt, finished_at FROM "
                      + EXECUTIONS
                      + " WHERE id = ? ON CONFLICT (execution_id) DO UPDATE SET"
                      + " error = excluded.error, attempts = excluded.attempts,"
                      + " failed_at = excluded.failed_at")) {
            letter.setString(1, lease.executionId().value());
            letter.executeUpdate();
          }
          ends.ended(c, lease.executionId(), now);
          return true;
        });
  }

  boolean suspend(Lease lease, long wakeAt, @Nullable Awaiting awaiting, long now) {
    String ready;
    if (awaiting == null) {
      ready = "FALSE";
    } else if (awaiting.kind() == Awaiting.Kind.SIGNAL) {
      ready =
          "EXISTS (SELECT 1 FROM "
              + SIGNALS
              + " s WHERE s.execution_id = "
              + EXECUTIONS
              + ".id AND s.name = ? AND s.consumed_at IS NULL)";
    } else {
      ready =
          "EXISTS (SELECT 1 FROM "
              + EXECUTIONS
              + " child WHERE child.id = ? AND child.state IN "
              + TERMINAL
              + ")";
    }
    return db.statement(
        "suspension of " + lease,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  backToPending(
                      "scheduled_for = CASE WHEN "
                          + ready
                          + " THEN clock.now ELSE clock.now + ? END, awaiting = ?"))) {
            int i = 1;
            dialect.bindNow(update, i++, now);
            if (awaiting != null) {
              update.setString(i++, awaiting.key());
            }
            update.setLong(i++, Delays.between(now, wakeAt));
            update.setString(i++, awaiting == null ? null : awaiting.stored());
            setLease(update, i, lease);
            return changed(update);
          }
        });
  }

  boolean release(Lease lease, long now) {
    return db.statement(
        "release of " + lease,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(backToPending("scheduled_for = clock.now"))) {
            dialect.bindNow(update, 1, now);
            setLease(update, 2, lease);
            return changed(update);
          }
        });
  }

  /**
   * The fenced update that hands a running execution back to pending, lease cleared, with its own
   * assignments; it announces the queue it made due. The clock is parameter 1, the lease the last
   * two.
   */
  private String backToPending(String assignments) {
    return dialect.notifyingDue(
        "WITH "
            + dialect.clock()
            + " UPDATE "
            + EXECUTIONS
            + " SET state = "
            + PENDING
            + ", "
            + assignments
            + ", started_at = NULL, updated_at = clock.now, "
            + CLEAR_LEASE
            + " FROM clock WHERE"
            + FENCED
            + " RETURNING queue");
  }

  /**
   * The fenced update that ends a running execution in a terminal state, with its own assignments.
   * The clock is parameter 1, the lease the last two.
   */
  private String ended(String state, String assignments) {
    return "WITH "
        + dialect.clock()
        + " UPDATE "
        + EXECUTIONS
        + " SET state = "
        + state
        + ", "
        + assignments
        + ", finished_at = clock.now, updated_at = clock.now, "
        + CLEAR_LEASE
        + " FROM clock WHERE"
        + FENCED;
  }

  /** Runs a {@link Dialect#notifyingDue} statement: whether it changed (and announced) a row. */
  static boolean changed(PreparedStatement update) throws SQLException {
    try (ResultSet rows = update.executeQuery()) {
      return rows.next();
    }
  }

  static void setLease(PreparedStatement statement, int index, Lease lease) throws SQLException {
    statement.setString(index, lease.executionId().value());
    statement.setLong(index + 1, lease.fence());
  }
}
