package dev.sluice.durable.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.durable.DurableException;
import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionState;
import dev.sluice.time.TimeSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded {@link ExecutionStore}: one SQLite file in WAL mode.
 *
 * <p>How it is used: one writer connection per store, guarded by a lock, for every write; each
 * write is one {@code BEGIN IMMEDIATE} transaction (so a second process waits on the busy timeout
 * instead of failing a lock upgrade half-way); a separate reader connection for queries, which WAL
 * lets run beside the writer. Claims are one {@code UPDATE ... WHERE id IN (SELECT ... LIMIT n)
 * RETURNING *} statement. Timestamps are UTC epoch milliseconds in INTEGER columns. The schema is
 * versioned and migrated at {@link #open}, safely when several processes open the same file at
 * once.
 *
 * <pre>{@code
 * try (ExecutionStore store = SqliteExecutionStore.open(Path.of("sluice.db"))) {
 *   Durable durable = Durable.builder().store(store).build();
 * }
 * }</pre>
 */
public final class SqliteExecutionStore implements ExecutionStore {
  private static final System.Logger LOG = System.getLogger(SqliteExecutionStore.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

  /** The busy timeout used by {@link #open(Path)}. */
  public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);

  private static final String LIVE = "('pending','running')";
  private static final String TERMINAL = "('completed','failed','cancelled','expired')";
  private static final String CLEAR_LEASE = "worker_id = NULL, lease_expires_at = NULL";
  private static final String FENCED = " WHERE id = ? AND fence = ? AND state = 'running'";

  private final String url;
  private final Connection writer;
  private final Connection reader;

  /**
   * Stores opened on the same file in one JVM share one write lock: they take turns in memory
   * instead of through SQLite's busy handler, which sleeps in steps of up to 100ms.
   */
  private static final java.util.concurrent.ConcurrentMap<String, ReentrantLock> FILE_LOCKS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final ReentrantLock writeLock;
  private final ReentrantLock readLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();

  private SqliteExecutionStore(String url, Connection writer, Connection reader) {
    this.url = url;
    this.writeLock = FILE_LOCKS.computeIfAbsent(url, key -> new ReentrantLock());
    this.writer = writer;
    this.reader = reader;
  }

  /**
   * Opens (creating if needed) the store in a SQLite file with the default busy timeout, and
   * migrates its schema.
   *
   * @param file the database file
   * @return the open store; close it when done
   * @throws DurableException if the file cannot be opened or migrated
   */
  public static SqliteExecutionStore open(Path file) {
    return open(file, DEFAULT_BUSY_TIMEOUT);
  }

  /**
   * Opens (creating if needed) the store in a SQLite file and migrates its schema.
   *
   * @param file the database file
   * @param busyTimeout how long a write waits for another process' lock before failing
   * @return the open store; close it when done
   * @throws IllegalArgumentException if {@code busyTimeout} is negative or over Integer.MAX_VALUE
   *     ms
   * @throws DurableException if the file cannot be opened or migrated
   */
  public static SqliteExecutionStore open(Path file, Duration busyTimeout) {
    return open(file, busyTimeout, TimeSource.system());
  }

  /**
   * Opens (creating if needed) the store in a SQLite file and migrates its schema, timing its own
   * waits (the retries of a file another process is creating) and the migrations' applied-at stamp
   * on {@code time}. The times of executions are the ones callers pass.
   *
   * @param file the database file
   * @param busyTimeout how long a write waits for another process' lock before failing
   * @param time the time source
   * @return the open store; close it when done
   * @throws IllegalArgumentException if {@code busyTimeout} is negative or over Integer.MAX_VALUE
   *     ms
   * @throws DurableException if the file cannot be opened or migrated
   */
  public static SqliteExecutionStore open(Path file, Duration busyTimeout, TimeSource time) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(time, "time");
    long busyMillis = busyTimeout.toMillis();
    if (busyMillis < 0 || busyMillis > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "sqlite busy-timeout must be between 0 and "
              + Integer.MAX_VALUE
              + " ms, was "
              + busyTimeout);
    }
    String url = "jdbc:sqlite:" + file.toAbsolutePath().normalize();
    Connection writer = null;
    try {
      writer = connect(url, busyMillis);
      List<Integer> applied = prepare(writer, busyMillis, time);
      if (!applied.isEmpty()) {
        LOG.log(System.Logger.Level.INFO, "migrated {0} to schema versions {1}", file, applied);
      }
      Connection reader = connect(url, busyMillis);
      return new SqliteExecutionStore(url, writer, reader);
    } catch (SQLException e) {
      closeQuietly(writer);
      throw new DurableException("cannot open SQLite store " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Switches the file to WAL and migrates it. While several processes create the same file, SQLite
   * may answer SQLITE_BUSY at once, without waiting in the busy handler (switching the journal mode
   * and recovering a WAL do not wait), so both are retried with a short back-off for up to the busy
   * timeout.
   */
  private static List<Integer> prepare(Connection writer, long busyMillis, TimeSource time)
      throws SQLException {
    long deadline = time.deadlineAfter(Duration.ofMillis(busyMillis));
    long pauseMillis = 1;
    while (true) {
      try {
        try (Statement statement = writer.createStatement()) {
          statement.execute("PRAGMA journal_mode = WAL");
        }
        return SqliteSchema.migrate(writer, time.now().toEpochMilli());
      } catch (SQLException e) {
        if (!isBusy(e) || time.nanoTime() - deadline >= 0) {
          throw e;
        }
      }
      try {
        time.sleep(Duration.ofMillis(pauseMillis));
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting for a locked SQLite file", interrupted);
      }
      pauseMillis = Math.min(50, pauseMillis * 2);
    }
  }

  private static boolean isBusy(SQLException e) {
    // SQLITE_BUSY is 5; extended codes (BUSY_RECOVERY, BUSY_SNAPSHOT, ...) keep it in the low byte
    return (e.getErrorCode() & 0xff) == 5 || String.valueOf(e.getMessage()).contains("SQLITE_BUSY");
  }

  private static Connection connect(String url, long busyMillis) throws SQLException {
    Connection connection = DriverManager.getConnection(url);
    try (Statement statement = connection.createStatement()) {
      // per connection; set first so every later statement waits for locks instead of failing
      statement.execute("PRAGMA busy_timeout = " + busyMillis);
      statement.execute("PRAGMA foreign_keys = ON");
      statement.execute("PRAGMA synchronous = NORMAL");
    }
    return connection;
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // already failing; the first error is the one to report
      }
    }
  }

  // ---- transactions ----------------------------------------------------------------------

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T write(String what, Work<T> work) {
    ensureOpen();
    writeLock.lock();
    try (Statement tx = writer.createStatement()) {
      // explicit BEGIN IMMEDIATE in auto-commit mode: the driver's own transaction handling would
      // re-open a transaction right after each commit and hold the write lock between writes
      tx.execute("BEGIN IMMEDIATE");
      try {
        T result = work.run(writer);
        tx.execute("COMMIT");
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          tx.execute("ROLLBACK");
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new DurableException("SQLite store " + url + ": " + what + " failed: " + e, e);
    } finally {
      writeLock.unlock();
    }
  }

  private <T> T read(String what, Work<T> work) {
    ensureOpen();
    readLock.lock();
    try {
      return work.run(reader);
    } catch (SQLException e) {
      throw new DurableException("SQLite store " + url + ": " + what + " failed: " + e, e);
    } finally {
      readLock.unlock();
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new DurableException("SQLite store " + url + " is closed");
    }
  }

  // ---- dispatch --------------------------------------------------------------------------

  @Override
  public Dispatched dispatch(NewExecution execution) {
    return write("dispatch of " + execution.id(), c -> insert(c, execution));
  }

  @Override
  public List<Dispatched> dispatchAll(List<NewExecution> executions) {
    if (executions.isEmpty()) {
      return List.of();
    }
    return write(
        "dispatch of " + executions.size() + " executions",
        c -> {
          List<Dispatched> results = new ArrayList<>(executions.size());
          for (NewExecution execution : executions) {
            results.add(insert(c, execution));
          }
          return results;
        });
  }

  private static Dispatched insert(Connection c, NewExecution e) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO executions (id, task, queue, tags, priority, state, input,"
                + " idempotency_key, parent_id, attempt, max_attempts, retry, created_at,"
                + " scheduled_for, expires_at, updated_at, fence)"
                + " VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, 0)"
                + " ON CONFLICT DO NOTHING")) {
      insert.setString(1, e.id().value());
      insert.setString(2, e.task());
      insert.setString(3, e.queue());
      insert.setString(4, e.tags().isEmpty() ? null : toJson(e.tags()));
      insert.setInt(5, e.priority());
      insert.setString(6, e.inputJson());
      insert.setString(7, e.idempotencyKey());
      insert.setString(8, e.parentId() == null ? null : e.parentId().value());
      insert.setInt(9, e.maxAttempts());
      insert.setString(10, e.retryJson());
      insert.setLong(11, e.createdAt());
      insert.setLong(12, e.scheduledFor());
      setNullableLong(insert, 13, e.expiresAt());
      insert.setLong(14, e.createdAt());
      if (insert.executeUpdate() == 1) {
        return new Dispatched(e.id(), true);
      }
    }
    // a conflict: the same id (a child dispatched again) or the same idempotency key
    try (PreparedStatement existing =
        c.prepareStatement(
            "SELECT id FROM executions WHERE id = ? OR (task = ? AND idempotency_key = ?)"
                + " ORDER BY id = ? DESC LIMIT 1")) {
      existing.setString(1, e.id().value());
      existing.setString(2, e.task());
      existing.setString(3, e.idempotencyKey());
      existing.setString(4, e.id().value());
      try (ResultSet rows = existing.executeQuery()) {
        if (!rows.next()) {
          throw new SQLException("insert of " + e.id() + " conflicted but no row matches");
        }
        return new Dispatched(ExecutionId.of(rows.getString(1)), false);
      }
    }
  }

  // ---- claims and fenced writes ----------------------------------------------------------

  @Override
  public List<ExecutionRecord> claim(ClaimRequest request) {
    return write(
        "claim by worker " + request.workerId(),
        c -> {
          expireDue(c, request.now());
          // executions whose worker stopped heartbeating first, then due pending ones; two
          // statements so that each walks its own index in order instead of sorting a union
          List<ExecutionRecord> claimed =
              claimWhere(
                  c, request, "e.state = 'running' AND e.lease_expires_at <= ?", request.limit());
          if (claimed.size() < request.limit()) {
            claimed.addAll(
                claimWhere(
                    c,
                    request,
                    "e.state = 'pending' AND e.scheduled_for <= ?",
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
            : "e.queue IN ("
                + String.join(", ", java.util.Collections.nCopies(queues.size(), "?"))
                + ")";
    String sql =
        "UPDATE executions SET state = 'running', worker_id = ?, lease_expires_at = ?,"
            + " fence = fence + 1, started_at = ?, updated_at = ?, awaiting = NULL"
            + " WHERE id IN (SELECT e.id FROM executions e WHERE "
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
      claim.setLong(i++, now);
      claim.setLong(i++, now);
      claim.setLong(i++, now);
      for (String queue : queues) {
        claim.setString(i++, queue);
      }
      claim.setString(i++, toJson(request.tasks()));
      claim.setLong(i++, now);
      claim.setString(i++, toJson(List.copyOf(request.workerTags())));
      claim.setInt(i, limit);
      // RETURNING rows come back through executeQuery with sqlite-jdbc
      try (ResultSet rows = claim.executeQuery()) {
        List<ExecutionRecord> claimed = new ArrayList<>();
        while (rows.next()) {
          claimed.add(toRecord(rows));
        }
        return claimed;
      }
    }
  }

  private static void expireDue(Connection c, long now) throws SQLException {
    try (PreparedStatement expire =
        c.prepareStatement(
            "UPDATE executions SET state = 'expired', finished_at = ?, updated_at = ?,"
                + " error = 'maximum duration passed', "
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

  @Override
  public boolean heartbeat(Lease lease, long leaseExpiresAt) {
    return write(
        "heartbeat of " + lease,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement("UPDATE executions SET lease_expires_at = ?" + FENCED)) {
            update.setLong(1, leaseExpiresAt);
            setLease(update, 2, lease);
            return update.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean complete(Lease lease, String resultJson, long now) {
    Objects.requireNonNull(resultJson, "resultJson (the text null stands for a null result)");
    return write("completion of " + lease, c -> completeOne(c, lease, resultJson, now));
  }

  @Override
  public List<Boolean> completeAll(List<Completion> completions) {
    if (completions.isEmpty()) {
      return List.of();
    }
    return write(
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

  private static boolean completeOne(Connection c, Lease lease, String resultJson, long now)
      throws SQLException {
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE executions SET state = 'completed', result = ?, error = NULL,"
                + " finished_at = ?, updated_at = ?, "
                + CLEAR_LEASE
                + FENCED)) {
      update.setString(1, resultJson);
      update.setLong(2, now);
      update.setLong(3, now);
      setLease(update, 4, lease);
      if (update.executeUpdate() != 1) {
        return false;
      }
    }
    wakeParent(c, lease.executionId(), now);
    return true;
  }

  @Override
  public boolean retry(Lease lease, String error, long scheduledFor, long now) {
    return write(
        "retry of " + lease,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE executions SET state = 'pending', scheduled_for = ?,"
                      + " attempt = attempt + 1, error = ?, started_at = NULL, updated_at = ?, "
                      + CLEAR_LEASE
                      + FENCED)) {
            update.setLong(1, scheduledFor);
            update.setString(2, error);
            update.setLong(3, now);
            setLease(update, 4, lease);
            return update.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean fail(Lease lease, String error, long now) {
    return write(
        "failure of " + lease,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE executions SET state = 'failed', error = ?, finished_at = ?,"
                      + " updated_at = ?, "
                      + CLEAR_LEASE
                      + FENCED)) {
            update.setString(1, error);
            update.setLong(2, now);
            update.setLong(3, now);
            setLease(update, 4, lease);
            if (update.executeUpdate() != 1) {
              return false;
            }
          }
          try (PreparedStatement letter =
              c.prepareStatement(
                  "INSERT INTO dead_letters (execution_id, task, queue, error, attempts,"
                      + " failed_at) SELECT id, task, queue, error, attempt, ? FROM executions"
                      + " WHERE id = ? ON CONFLICT (execution_id) DO UPDATE SET"
                      + " error = excluded.error, attempts = excluded.attempts,"
                      + " failed_at = excluded.failed_at")) {
            letter.setLong(1, now);
            letter.setString(2, lease.executionId().value());
            letter.executeUpdate();
          }
          wakeParent(c, lease.executionId(), now);
          return true;
        });
  }

  @Override
  public boolean suspend(Lease lease, long wakeAt, Awaiting awaiting, long now) {
    return write(
        "suspension of " + lease,
        c -> {
          String ready;
          if (awaiting == null) {
            ready = "0";
          } else if (awaiting.kind() == Awaiting.Kind.SIGNAL) {
            ready =
                "EXISTS (SELECT 1 FROM signals s WHERE s.execution_id = executions.id"
                    + " AND s.name = ? AND s.consumed_at IS NULL)";
          } else {
            ready =
                "EXISTS (SELECT 1 FROM executions child WHERE child.id = ? AND child.state IN "
                    + TERMINAL
                    + ")";
          }
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE executions SET state = 'pending', scheduled_for = CASE WHEN "
                      + ready
                      + " THEN ? ELSE ? END, awaiting = ?, started_at = NULL, updated_at = ?, "
                      + CLEAR_LEASE
                      + FENCED)) {
            int i = 1;
            if (awaiting != null) {
              update.setString(i++, awaiting.key());
            }
            update.setLong(i++, now);
            update.setLong(i++, wakeAt);
            update.setString(i++, awaiting == null ? null : awaiting.stored());
            update.setLong(i++, now);
            setLease(update, i, lease);
            return update.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean release(Lease lease, long now) {
    return write(
        "release of " + lease,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE executions SET state = 'pending', scheduled_for = ?,"
                      + " started_at = NULL, updated_at = ?, "
                      + CLEAR_LEASE
                      + FENCED)) {
            update.setLong(1, now);
            update.setLong(2, now);
            setLease(update, 3, lease);
            return update.executeUpdate() == 1;
          }
        });
  }

  private static void wakeParent(Connection c, ExecutionId child, long now) throws SQLException {
    try (PreparedStatement wake =
        c.prepareStatement(
            "UPDATE executions SET scheduled_for = MIN(scheduled_for, ?)"
                + " WHERE id = (SELECT parent_id FROM executions WHERE id = ?)"
                + " AND state = 'pending' AND awaiting = ?")) {
      wake.setLong(1, now);
      wake.setString(2, child.value());
      wake.setString(3, Awaiting.child(child).stored());
      wake.executeUpdate();
    }
  }

  // ---- steps and signals -----------------------------------------------------------------

  @Override
  public List<StepRecord> steps(ExecutionId executionId) {
    return read("steps of " + executionId, c -> Reports.steps(c, "steps", executionId));
  }

  @Override
  public boolean recordStep(Lease lease, StepRecord step) {
    Reports.checkStepLease(lease, step);
    return write(
        "checkpoint of step " + step.sequence() + " of " + lease, c -> upsert(c, lease, step));
  }

  private static boolean upsert(Connection c, Lease lease, StepRecord step) throws SQLException {
    try (PreparedStatement upsert =
        c.prepareStatement(
            "INSERT INTO steps (execution_id, seq, name, kind, status, outcome, deadline,"
                + " recorded_at) SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM"
                + " executions"
                + FENCED
                + ") ON CONFLICT (execution_id, seq) DO UPDATE SET name = excluded.name,"
                + " kind = excluded.kind, status = excluded.status, outcome = excluded.outcome,"
                + " deadline = excluded.deadline, recorded_at = excluded.recorded_at")) {
      upsert.setString(1, step.executionId().value());
      upsert.setInt(2, step.sequence());
      upsert.setString(3, step.name());
      upsert.setString(4, step.kind().name());
      upsert.setString(5, step.status().name());
      upsert.setString(6, step.outcomeJson());
      setNullableLong(upsert, 7, step.deadline());
      upsert.setLong(8, step.recordedAt());
      setLease(upsert, 9, lease);
      return upsert.executeUpdate() == 1;
    }
  }

  @Override
  public Optional<String> consumeSignal(
      Lease lease, String name, int sequence, String stepName, long now) {
    return write(
        "signal " + name + " for " + lease,
        c ->
            Signals.consume(
                c,
                "signals",
                "",
                lease,
                name,
                sequence,
                stepName,
                now,
                SqliteExecutionStore::upsert));
  }

  @Override
  public boolean send(ExecutionId executionId, String name, String payloadJson, long now) {
    return write(
        "signal " + name + " to " + executionId,
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO signals (execution_id, name, payload, sent_at)"
                      + " SELECT id, ?, ?, ? FROM executions WHERE id = ?")) {
            insert.setString(1, name);
            insert.setString(2, payloadJson);
            insert.setLong(3, now);
            insert.setString(4, executionId.value());
            if (insert.executeUpdate() != 1) {
              return false;
            }
          }
          try (PreparedStatement wake =
              c.prepareStatement(
                  "UPDATE executions SET scheduled_for = MIN(scheduled_for, ?)"
                      + " WHERE id = ? AND state = 'pending' AND awaiting = ?")) {
            wake.setLong(1, now);
            wake.setString(2, executionId.value());
            wake.setString(3, Awaiting.signal(name).stored());
            wake.executeUpdate();
          }
          return true;
        });
  }

  // ---- cancel, queries, counts -----------------------------------------------------------

  @Override
  public boolean cancel(ExecutionId executionId, long now) {
    return write(
        "cancel of " + executionId,
        c -> {
          // the execution, if it is live, and every live execution below it, however deep
          try (PreparedStatement update =
              c.prepareStatement(
                  "WITH RECURSIVE tree(id) AS (SELECT id FROM executions WHERE id = ? AND state IN "
                      + LIVE
                      + " UNION ALL SELECT e.id FROM executions e JOIN tree ON e.parent_id ="
                      + " tree.id) UPDATE executions SET state = 'cancelled', finished_at = ?,"
                      + " updated_at = ?, "
                      + CLEAR_LEASE
                      + " WHERE id IN (SELECT id FROM tree) AND state IN "
                      + LIVE)) {
            update.setString(1, executionId.value());
            update.setLong(2, now);
            update.setLong(3, now);
            if (update.executeUpdate() == 0) {
              return false; // not live: it and its children are left alone
            }
          }
          wakeParent(c, executionId, now);
          return true;
        });
  }

  @Override
  public Optional<ExecutionRecord> find(ExecutionId executionId) {
    return read(
        "lookup of " + executionId,
        c -> {
          try (PreparedStatement query =
              c.prepareStatement("SELECT * FROM executions WHERE id = ?")) {
            query.setString(1, executionId.value());
            try (ResultSet rows = query.executeQuery()) {
              return rows.next() ? Optional.of(toRecord(rows)) : Optional.<ExecutionRecord>empty();
            }
          }
        });
  }

  @Override
  public List<ExecutionRecord> list(ExecutionFilter filter) {
    return read(
        "listing",
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT * FROM executions WHERE (?1 IS NULL OR state = ?1)"
                      + " AND (?2 IS NULL OR queue = ?2) AND (?3 IS NULL OR task = ?3)"
                      + " ORDER BY created_at DESC, rowid DESC LIMIT ?4 OFFSET ?5")) {
            query.setString(1, filter.state() == null ? null : filter.state().storedName());
            query.setString(2, filter.queue());
            query.setString(3, filter.task());
            query.setInt(4, filter.limit());
            query.setInt(5, filter.offset());
            try (ResultSet rows = query.executeQuery()) {
              List<ExecutionRecord> page = new ArrayList<>();
              while (rows.next()) {
                page.add(toRecord(rows));
              }
              return page;
            }
          }
        });
  }

  @Override
  public Map<ExecutionState, Long> countByState() {
    return read("count by state", c -> Reports.countByState(c, "executions"));
  }

  @Override
  public long countDeadLetters() {
    return read("dead-letter count", c -> Reports.countDeadLetters(c, "dead_letters"));
  }

  @Override
  public List<DeadLetter> deadLetters(int limit, int offset) {
    Reports.checkPage(limit, offset);
    return read("dead-letter listing", c -> Reports.deadLetters(c, "dead_letters", limit, offset));
  }

  @Override
  public boolean replay(ExecutionId executionId, long now) {
    return write(
        "replay of " + executionId,
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM dead_letters WHERE execution_id = ?")) {
            delete.setString(1, executionId.value());
            if (delete.executeUpdate() != 1) {
              return false;
            }
          }
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE executions SET state = 'pending', attempt = 1, scheduled_for = ?,"
                      + " error = NULL, finished_at = NULL, started_at = NULL, updated_at = ?, "
                      + CLEAR_LEASE
                      + " WHERE id = ? AND state = 'failed'")) {
            update.setLong(1, now);
            update.setLong(2, now);
            update.setString(3, executionId.value());
            return update.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean discard(ExecutionId executionId) {
    return write(
        "discard of " + executionId,
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM dead_letters WHERE execution_id = ?")) {
            delete.setString(1, executionId.value());
            return delete.executeUpdate() == 1;
          }
        });
  }

  @Override
  public int purgeFinished(long finishedBefore, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("purge batch size must be >= 1, was " + batchSize);
    }
    return write(
        "purge",
        c -> {
          // steps and signals go with their execution (ON DELETE CASCADE)
          try (PreparedStatement delete =
              c.prepareStatement(
                  "DELETE FROM executions WHERE id IN (SELECT id FROM executions"
                      + " WHERE state IN ('completed','cancelled','expired')"
                      + " AND finished_at < ? LIMIT ?)")) {
            delete.setLong(1, finishedBefore);
            delete.setInt(2, batchSize);
            return delete.executeUpdate();
          }
        });
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      writeLock.lock();
      readLock.lock();
      try {
        closeQuietly(reader);
        closeQuietly(writer);
      } finally {
        readLock.unlock();
        writeLock.unlock();
      }
    }
  }

  @Override
  public String toString() {
    return "SqliteExecutionStore[" + url + "]";
  }

  // ---- row mapping -----------------------------------------------------------------------

  private static ExecutionRecord toRecord(ResultSet rows) throws SQLException {
    String tags = rows.getString("tags");
    return Rows.toRecord(rows, tags == null ? List.of() : fromJson(tags));
  }

  private static void setNullableLong(PreparedStatement statement, int index, Long value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.INTEGER);
    } else {
      statement.setLong(index, value);
    }
  }

  private static void setLease(PreparedStatement statement, int index, Lease lease)
      throws SQLException {
    statement.setString(index, lease.executionId().value());
    statement.setLong(index + 1, lease.fence());
  }

  private static String toJson(List<String> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a list of strings as JSON", e);
    }
  }

  private static List<String> fromJson(String json) throws SQLException {
    try {
      return JSON.readValue(json, STRING_LIST);
    } catch (JsonProcessingException e) {
      throw new SQLException("stored tags are not a JSON array of strings: " + json, e);
    }
  }
}
