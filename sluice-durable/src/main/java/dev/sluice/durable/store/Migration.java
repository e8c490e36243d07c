package dev.sluice.durable.store;

import dev.sluice.durable.DurableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One schema change of a store, applied exactly once, and the code that applies the missing ones.
 * Each store brackets {@link #applyMissing} in its own kind of exclusive transaction, so that
 * processes starting at once queue and the later ones find the work done.
 *
 * @param version the schema version this change brings the database to
 * @param description what the change does, recorded with it
 * @param statements the statements, run in order
 */
record Migration(int version, String description, List<String> statements) {

  /**
   * Records which migrations ran in {@code sluice_schema_version} and runs the missing ones, inside
   * the caller's transaction.
   *
   * @param connection the connection whose transaction is open
   * @param migrations every migration, oldest first
   * @param timeType the column type of epoch milliseconds in this database
   * @param now the time to record as applied-at
   * @return the versions applied by this call (empty if the database was up to date)
   * @throws DurableException if the database is newer than the newest migration
   */
  static List<Integer> applyMissing(
      Connection connection, List<Migration> migrations, String timeType, long now)
      throws SQLException {
    int latest = migrations.get(migrations.size() - 1).version();
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS sluice_schema_version (version INTEGER PRIMARY KEY,"
              + " description TEXT NOT NULL, applied_at "
              + timeType
              + " NOT NULL)");
      int current;
      try (ResultSet rows =
          statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM sluice_schema_version")) {
        rows.next();
        current = rows.getInt(1);
      }
      if (current > latest) {
        throw new DurableException(
            "database schema version "
                + current
                + " is newer than this library supports ("
                + latest
                + "); upgrade sluice-durable");
      }
      List<Integer> applied = new ArrayList<>();
      for (Migration migration : migrations) {
        if (migration.version() <= current) {
          continue;
        }
        for (String sql : migration.statements()) {
          statement.execute(sql);
        }
        try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO sluice_schema_version (version, description, applied_at)"
                    + " VALUES (?, ?, ?)")) {
          insert.setInt(1, migration.version());
          insert.setString(2, migration.description());
          insert.setLong(3, now);
          insert.executeUpdate();
        }
        applied.add(migration.version());
      }
      return applied;
    }
  }
}
