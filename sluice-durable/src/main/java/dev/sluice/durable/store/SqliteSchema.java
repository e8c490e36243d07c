package dev.sluice.durable.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The versioned schema of the SQLite store and the code that brings a database up to date.
 *
 * <p>Migrations run inside one {@code BEGIN IMMEDIATE} transaction that first reads the applied
 * version: two processes starting at once serialize on SQLite's write lock (waiting through the
 * busy timeout), and the second finds the work done. A database newer than this code is refused.
 */
final class SqliteSchema {
  private SqliteSchema() {}

  static final List<Migration> MIGRATIONS =
      List.of(
          new Migration(
              1,
              "executions, steps, signals, dead letters",
              List.of(
                  """
                  CREATE TABLE executions (
                    id TEXT PRIMARY KEY,
                    task TEXT NOT NULL,
                    queue TEXT NOT NULL,
                    tags TEXT,
                    priority INTEGER NOT NULL DEFAULT 0,
                    state TEXT NOT NULL,
                    input TEXT NOT NULL,
                    result TEXT,
                    error TEXT,
                    idempotency_key TEXT,
                    parent_id TEXT,
                    attempt INTEGER NOT NULL DEFAULT 1,
                    max_attempts INTEGER NOT NULL DEFAULT 1,
                    retry TEXT,
                    created_at INTEGER NOT NULL,
                    scheduled_for INTEGER NOT NULL,
                    expires_at INTEGER,
                    started_at INTEGER,
                    finished_at INTEGER,
                    updated_at INTEGER NOT NULL,
                    worker_id TEXT,
                    lease_expires_at INTEGER,
                    fence INTEGER NOT NULL DEFAULT 0,
                    awaiting TEXT
                  )""",
                  "CREATE UNIQUE INDEX executions_idempotency ON executions(task, idempotency_key)"
                      + " WHERE idempotency_key IS NOT NULL",
                  "CREATE INDEX executions_due ON executions(state, queue, priority DESC,"
                      + " scheduled_for)",
                  "CREATE INDEX executions_lease ON executions(state, lease_expires_at)",
                  "CREATE INDEX executions_expiry ON executions(state, expires_at)"
                      + " WHERE expires_at IS NOT NULL",
                  "CREATE INDEX executions_finished ON executions(state, finished_at)",
                  "CREATE INDEX executions_parent ON executions(parent_id)"
                      + " WHERE parent_id IS NOT NULL",
                  """
                  CREATE TABLE steps (
                    execution_id TEXT NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    status TEXT NOT NULL,
                    outcome TEXT,
                    deadline INTEGER,
                    recorded_at INTEGER NOT NULL,
                    PRIMARY KEY (execution_id, seq)
                  )""",
                  """
                  CREATE TABLE signals (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    execution_id TEXT NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    sent_at INTEGER NOT NULL,
                    consumed_at INTEGER,
                    consumed_by_seq INTEGER
                  )""",
                  "CREATE INDEX signals_unconsumed ON signals(execution_id, name, id)"
                      + " WHERE consumed_at IS NULL",
                  """
                  CREATE TABLE dead_letters (
                    execution_id TEXT PRIMARY KEY REFERENCES executions(id) ON DELETE CASCADE,
                    task TEXT NOT NULL,
                    queue TEXT NOT NULL,
                    error TEXT,
                    attempts INTEGER NOT NULL,
                    failed_at INTEGER NOT NULL
                  )""")),
          // one table naming in every database: sluice_* as in PostgreSQL. Renaming a table
          // rewrites the foreign keys that name it; indexes keep their names, so they are
          // made again under the new ones. The lease length is kept, as in PostgreSQL.
          new Migration(
              2,
              "tables and indexes named sluice_*; lease length kept with the lease",
              List.of(
                  "ALTER TABLE executions RENAME TO sluice_executions",
                  "ALTER TABLE steps RENAME TO sluice_steps",
                  "ALTER TABLE signals RENAME TO sluice_signals",
                  "ALTER TABLE dead_letters RENAME TO sluice_dead_letters",
                  "ALTER TABLE sluice_executions ADD COLUMN lease_millis INTEGER",
                  "DROP INDEX executions_idempotency",
                  "DROP INDEX executions_due",
                  "DROP INDEX executions_lease",
                  "DROP INDEX executions_expiry",
                  "DROP INDEX executions_finished",
                  "DROP INDEX executions_parent",
                  "DROP INDEX signals_unconsumed",
                  "CREATE UNIQUE INDEX sluice_executions_idempotency ON sluice_executions(task,"
                      + " idempotency_key) WHERE idempotency_key IS NOT NULL",
                  "CREATE INDEX sluice_executions_due ON sluice_executions(state, queue,"
                      + " priority DESC, scheduled_for)",
                  "CREATE INDEX sluice_executions_lease ON sluice_executions(state,"
                      + " lease_expires_at)",
                  "CREATE INDEX sluice_executions_expiry ON sluice_executions(state, expires_at)"
                      + " WHERE expires_at IS NOT NULL",
                  "CREATE INDEX sluice_executions_finished ON sluice_executions(state,"
                      + " finished_at)",
                  "CREATE INDEX sluice_executions_parent ON sluice_executions(parent_id)"
                      + " WHERE parent_id IS NOT NULL",
                  "CREATE INDEX sluice_signals_unconsumed ON sluice_signals(execution_id, name,"
                      + " id) WHERE consumed_at IS NULL")));

  /** The newest version this code knows. */
  static int latestVersion() {
    return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
  }

  /**
   * Applies every missing migration in one immediate transaction.
   *
   * @param connection a connection in auto-commit mode
   * @param now the time to record as applied-at
   * @return the versions applied by this call (empty if another process did the work)
   */
  static List<Integer> migrate(Connection connection, long now) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      try {
        List<Integer> applied = Migration.applyMissing(connection, MIGRATIONS, "INTEGER", now);
        statement.execute("COMMIT");
        return applied;
      } catch (SQLException | RuntimeException e) {
        try {
          statement.execute("ROLLBACK");
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
    }
  }
}
