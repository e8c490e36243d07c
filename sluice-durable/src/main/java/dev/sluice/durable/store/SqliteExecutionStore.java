package dev.sluice.durable.store;

import dev.sluice.ConfigException;
import dev.sluice.durable.DurableException;
import dev.sluice.time.TimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The embedded {@link ExecutionStore}: one SQLite file in WAL mode.
 *
 * <p>How it is used: one writer connection per store, guarded by a lock, for every write; each
 * write is one {@code BEGIN IMMEDIATE} transaction (so a second process waits on the busy timeout
 * instead of failing a lock upgrade half-way); a separate reader connection for queries, which WAL
 * lets run beside the writer. Claims are one {@code UPDATE ... WHERE id IN (SELECT ... LIMIT n)
 * RETURNING *} statement. Timestamps are UTC epoch milliseconds in INTEGER columns, from the
 * caller's clock. The schema is versioned and migrated at {@link #open}, safely when several
 * processes open the same file at once; tables are named {@code sluice_*}, as in PostgreSQL.
 *
 * <pre>{@code
 * try (ExecutionStore store = SqliteExecutionStore.open(Path.of("sluice.db"))) {
 *   Durable durable = Durable.builder().store(store).build();
 * }
 * }</pre>
 */
public final class SqliteExecutionStore extends JdbcExecutionStore {

  /** The busy timeout used by {@link #open(Path)}. */
  public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);

  private final String url;

  private SqliteExecutionStore(SqliteDatabase db) {
    super(
        db,
        SqliteDialect.INSTANCE,
        new SqliteClaims(db),
        new FencedWrites(db, SqliteDialect.INSTANCE, new Ends(SqliteDialect.INSTANCE)));
    this.url = db.url();
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
   * @throws dev.sluice.ConfigException if {@code busyTimeout} is negative or over Integer.MAX_VALUE
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
   * @throws dev.sluice.ConfigException if {@code busyTimeout} is negative or over Integer.MAX_VALUE
   *     ms
   * @throws DurableException if the file cannot be opened or migrated
   */
  public static SqliteExecutionStore open(Path file, Duration busyTimeout, TimeSource time) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(time, "time");
    long busyMillis = busyTimeout.toMillis();
    if (busyMillis < 0 || busyMillis > Integer.MAX_VALUE) {
      throw new ConfigException(
          "durable.sqlite.busy-timeout",
          "must be between 0 and " + Integer.MAX_VALUE + " ms",
          busyTimeout);
    }
    return new SqliteExecutionStore(SqliteDatabase.open(file, busyMillis, time));
  }

  @Override
  public String toString() {
    return "SqliteExecutionStore[" + url + "]";
  }
}
