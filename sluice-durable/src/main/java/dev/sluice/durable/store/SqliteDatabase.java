package dev.sluice.durable.store;

import dev.sluice.durable.DurableException;
import dev.sluice.time.TimeSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One SQLite file in WAL mode: a writer connection, guarded by a lock, for every write, each write
 * one {@code BEGIN IMMEDIATE} transaction (so a second process waits on the busy timeout instead of
 * failing a lock upgrade half-way); and a reader connection, which WAL lets run beside the writer.
 */
final class SqliteDatabase implements Database {
  private static final System.Logger LOG = System.getLogger(SqliteDatabase.class.getName());

  /**
   * Stores opened on the same file in one JVM share one write lock: they take turns in memory
   * instead of through SQLite's busy handler, which sleeps in steps of up to 100ms.
   */
  private static final ConcurrentMap<String, ReentrantLock> FILE_LOCKS = new ConcurrentHashMap<>();

  private final String url;
  private final Connection writer;
  private final Connection reader;
  private final StatementCache writes;
  private final StatementCache reads;
  private final ReentrantLock writeLock;
  private final ReentrantLock readLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();

  private SqliteDatabase(String url, Connection writer, Connection reader) {
    this.url = url;
    this.writeLock = FILE_LOCKS.computeIfAbsent(url, key -> new ReentrantLock());
    this.writer = writer;
    this.reader = reader;
    this.writes = new StatementCache(writer);
    this.reads = new StatementCache(reader);
  }

  String url() {
    return url;
  }

  /** Opens (creating if needed) the file, switches it to WAL and migrates its schema. */
  static SqliteDatabase open(Path file, long busyMillis, TimeSource time) {
    String url = "jdbc:sqlite:" + file.toAbsolutePath().normalize();
    Connection writer = null;
    try {
      writer = connect(url, busyMillis);
      List<Integer> applied = prepare(writer, busyMillis, time);
      if (!applied.isEmpty()) {
        LOG.log(System.Logger.Level.INFO, "migrated {0} to schema versions {1}", file, applied);
      }
      Connection reader = connect(url, busyMillis);
      return new SqliteDatabase(url, writer, reader);
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

  @Override
  public <T> T transaction(String what, SqlWork<T> work) {
    ensureOpen();
    writeLock.lock();
    try (Statement tx = writer.createStatement()) {
      // explicit BEGIN IMMEDIATE in auto-commit mode: the driver's own transaction handling would
      // re-open a transaction right after each commit and hold the write lock between writes
      tx.execute("BEGIN IMMEDIATE");
      try {
        T result = work.run(writes.connection());
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
      throw failed(what, e);
    } finally {
      writeLock.unlock();
    }
  }

  /** Every write takes the writer's transaction: one writer per file. */
  @Override
  public <T> T statement(String what, SqlWork<T> work) {
    return transaction(what, work);
  }

  @Override
  public <T> T read(String what, SqlWork<T> work) {
    ensureOpen();
    readLock.lock();
    try {
      return work.run(reads.connection());
    } catch (SQLException e) {
      throw failed(what, e);
    } finally {
      readLock.unlock();
    }
  }

  private DurableException failed(String what, SQLException e) {
    return new DurableException("SQLite store " + url + ": " + what + " failed: " + e, e);
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new DurableException("SQLite store " + url + " is closed");
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      writeLock.lock();
      readLock.lock();
      try {
        reads.clear();
        writes.clear();
        closeQuietly(reader);
        closeQuietly(writer);
      } finally {
        readLock.unlock();
        writeLock.unlock();
      }
    }
  }
}
