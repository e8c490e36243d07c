package dev.sluice.durable.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The versioned schema of the PostgreSQL store and the code that brings a database up to date.
 *
 * <p>Migrations run in one transaction that first takes a transaction-scoped advisory lock: several
 * processes starting at once queue on the lock, and each later one finds the work done. A database
 * newer than this code is refused. Times are UTC epoch milliseconds in BIGINT columns, as in the
 * SQLite store; which clock produced them is the store's choice (the database's, by default).
 */
final class PostgresSchema {
  private PostgresSchema() {}

  /** The advisory lock key that serializes migrations ("sluice" in ASCII, as a number). */
  static final long MIGRATION_LOCK = 0x736c75696365L;

  static final List<Migration> MIGRATIONS =
      List.of(
          new Migration(
              1,
              "executions, steps, signals, dead letters, task concurrency limits",
              List.of(
                  """
                  CREATE TABLE sluice_executions (
                    id TEXT PRIMARY KEY,
                    seq BIGSERIAL NOT NULL,
                    task TEXT NOT NULL,
                    queue TEXT NOT NULL,
                    tags TEXT[] NOT NULL DEFAULT '{}',
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
                    created_at BIGINT NOT NULL,
                    scheduled_for BIGINT NOT NULL,
                    expires_at BIGINT,
                    started_at BIGINT,
                    finished_at BIGINT,
                    updated_at BIGINT NOT NULL,
                    worker_id TEXT,
                    lease_expires_at BIGINT,
                    lease_millis BIGINT,
                    fence BIGINT NOT NULL DEFAULT 0,
                    awaiting TEXT
                  )""",
                  "CREATE UNIQUE INDEX sluice_executions_idempotency ON sluice_executions(task,"
                      + " idempotency_key) WHERE idempotency_key IS NOT NULL",
                  "CREATE INDEX sluice_executions_due ON sluice_executions(priority DESC,"
                      + " scheduled_for, seq) WHERE state = 'pending'",
                  "CREATE INDEX sluice_executions_lease ON sluice_executions(lease_expires_at)"
                      + " WHERE state = 'running'",
                  "CREATE INDEX sluice_executions_running_task ON sluice_executions(task)"
                      + " WHERE state = 'running'",
                  "CREATE INDEX sluice_executions_expiry ON sluice_executions(expires_at)"
                      + " WHERE expires_at IS NOT NULL AND state IN ('pending', 'running')",
                  "CREATE INDEX sluice_executions_finished ON sluice_executions(state,"
                      + " finished_at)",
                  "CREATE INDEX sluice_executions_listing ON sluice_executions(created_at DESC,"
                      + " seq DESC)",
                  "CREATE INDEX sluice_executions_parent ON sluice_executions(parent_id)"
                      + " WHERE parent_id IS NOT NULL",
                  """
                  CREATE TABLE sluice_steps (
                    execution_id TEXT NOT NULL REFERENCES sluice_executions(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    status TEXT NOT NULL,
                    outcome TEXT,
                    deadline BIGINT,
                    recorded_at BIGINT NOT NULL,
                    PRIMARY KEY (execution_id, seq)
                  )""",
                  """
                  CREATE TABLE sluice_signals (
                    id BIGSERIAL PRIMARY KEY,
                    execution_id TEXT NOT NULL REFERENCES sluice_executions(id) ON DELETE CASCADE,
                    name TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    sent_at BIGINT NOT NULL,
                    consumed_at BIGINT,
                    consumed_by_seq INTEGER
                  )""",
                  "CREATE INDEX sluice_signals_unconsumed ON sluice_signals(execution_id, name, id)"
                      + " WHERE consumed_at IS NULL",
                  """
                  CREATE TABLE sluice_dead_letters (
                    execution_id TEXT PRIMARY KEY
                      REFERENCES sluice_executions(id) ON DELETE CASCADE,
                    task TEXT NOT NULL,
                    queue TEXT NOT NULL,
                    error TEXT,
                    attempts INTEGER NOT NULL,
                    failed_at BIGINT NOT NULL
                  )""",
                  """
                  CREATE TABLE sluice_task_limits (
                    task TEXT PRIMARY KEY,
                    max_concurrent INTEGER NOT NULL CHECK (max_concurrent >= 1)
                  )""")),
          // Every claim and every end writes a new row version, and each full index gets an
          // entry for it; partial indexes get one only while their condition holds. Fewer and
          // narrower indexes on the hot path: two entries fewer per execution.
          new Migration(
              2,
              "partial index of finished executions; one index of running executions",
              List.of(
                  "DROP INDEX sluice_executions_finished",
                  "CREATE INDEX sluice_executions_finished ON sluice_executions(finished_at)"
                      + " WHERE finished_at IS NOT NULL",
                  "DROP INDEX sluice_executions_lease",
                  "DROP INDEX sluice_executions_running_task",
                  "CREATE INDEX sluice_executions_running ON sluice_executions(task,"
                      + " lease_expires_at) WHERE state = 'running'")));

  /** The newest version this code knows. */
  static int latestVersion() {
    return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
  }

  /**
   * Applies every missing migration in one transaction under the migration advisory lock.
   *
   * @param connection a connection; its auto-commit mode is restored afterwards
   * @param now the time to record as applied-at
   * @return the versions applied by this call (empty if another process did the work)
   */
  static List<Integer> migrate(Connection connection, long now) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      // held until commit or rollback: concurrent starters wait here, then see the new version
      statement.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
      List<Integer> applied = Migration.applyMissing(connection, MIGRATIONS, "BIGINT", now);
      connection.commit();
      return applied;
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }
}
