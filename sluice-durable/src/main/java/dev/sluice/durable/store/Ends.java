package dev.sluice.durable.store;

import static dev.sluice.durable.store.Sql.EXECUTIONS;
import static dev.sluice.durable.store.Sql.PENDING;

import dev.sluice.durable.ExecutionId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What follows the end of an execution: its announcement, and the wake-up of a waiting parent. */
final class Ends {
  private final Dialect dialect;

  Ends(Dialect dialect) {
    this.dialect = dialect;
  }

  /** Inside the ending transaction: announces the end and makes a parent waiting for it due. */
  void ended(Connection c, ExecutionId child, long now) throws SQLException {
    dialect.ended(child);
    try (PreparedStatement wake =
        c.prepareStatement(
            "WITH "
                + dialect.clock()
                + " UPDATE "
                + EXECUTIONS
                + " AS p SET scheduled_for = "
                + dialect.least()
                + "(p.scheduled_for, clock.now) FROM clock WHERE p.id = (SELECT parent_id FROM "
                + EXECUTIONS
                + " WHERE id = ?) AND p.state = "
                + PENDING
                + " AND p.awaiting = ? RETURNING queue")) {
      dialect.bindNow(wake, 1, now);
      wake.setString(2, child.value());
      wake.setString(3, Awaiting.child(child).stored());
      try (ResultSet rows = wake.executeQuery()) {
        if (rows.next()) {
          dialect.due(c, rows.getString(1));
        }
      }
    }
  }
}
