package dev.sluice.durable.store;

import static dev.sluice.durable.store.Sql.TASK_LIMITS;

import dev.sluice.ConfigException;
import dev.sluice.time.TimeSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Global concurrency limits per task, kept in {@code sluice_task_limits}, and this store's view of
 * which tasks have one (at most a second old), so that claims of unlimited tasks skip the lock.
 */
final class PostgresLimits {
  /** How old this store's view of which tasks have limits may be. */
  private static final long MAX_AGE_NANOS = 1_000_000_000L;

  private final Database db;
  private final TimeSource time;
  private volatile Set<String> limitedTasks;
  private volatile long readAt;

  PostgresLimits(Database db, TimeSource time) {
    this.db = db;
    this.time = time;
  }

  static void check(String task, int maxConcurrent) {
    Objects.requireNonNull(task, "task");
    if (maxConcurrent < 1) {
      throw new ConfigException(
          "durable.max-concurrent of task " + task, "must be >= 1", maxConcurrent);
    }
  }

  void set(String task, int maxConcurrent) {
    check(task, maxConcurrent);
    db.statement(
        "limit of " + task,
        c -> {
          try (PreparedStatement upsert =
              c.prepareStatement(
                  "INSERT INTO "
                      + TASK_LIMITS
                      + " (task, max_concurrent) VALUES (?, ?)"
                      + " ON CONFLICT (task) DO UPDATE SET max_concurrent = excluded.max_concurrent")) {
            upsert.setString(1, task);
            upsert.setInt(2, maxConcurrent);
            return upsert.executeUpdate();
          }
        });
    limitedTasks = null;
  }

  boolean remove(String task) {
    boolean removed =
        db.statement(
            "limit removal of " + task,
            c -> {
              try (PreparedStatement delete =
                  c.prepareStatement("DELETE FROM " + TASK_LIMITS + " WHERE task = ?")) {
                delete.setString(1, task);
                return delete.executeUpdate() == 1;
              }
            });
    limitedTasks = null;
    return removed;
  }

  Map<String, Integer> all() {
    return db.read(
        "limits",
        c -> {
          Map<String, Integer> limits = new LinkedHashMap<>();
          try (Statement query = c.createStatement();
              ResultSet rows =
                  query.executeQuery(
                      "SELECT task, max_concurrent FROM " + TASK_LIMITS + " ORDER BY task")) {
            while (rows.next()) {
              limits.put(rows.getString(1), rows.getInt(2));
            }
          }
          return limits;
        });
  }

  /** Whether any of the tasks has a limit, by a view of the limits at most a second old. */
  boolean anyLimited(List<String> tasks) {
    long now = time.nanoTime();
    Set<String> limited = limitedTasks;
    if (limited == null || now - readAt > MAX_AGE_NANOS) {
      limited = Set.copyOf(all().keySet());
      limitedTasks = limited;
      readAt = now;
    }
    for (String task : tasks) {
      if (limited.contains(task)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Locks the limit rows of the limited tasks among {@code tasks}, in task order (no deadlock).
   * Claimers of a limited task queue here; each one's claim statement then sees the leases the
   * previous one committed.
   *
   * @return whether any of the tasks has a limit
   */
  static boolean lock(Connection c, List<String> tasks) throws SQLException {
    try (PreparedStatement lock =
        c.prepareStatement(
            "SELECT task FROM " + TASK_LIMITS + " WHERE task = ANY(?) ORDER BY task FOR UPDATE")) {
      lock.setArray(1, c.createArrayOf("text", tasks.toArray()));
      try (ResultSet rows = lock.executeQuery()) {
        return rows.next();
      }
    }
  }
}
