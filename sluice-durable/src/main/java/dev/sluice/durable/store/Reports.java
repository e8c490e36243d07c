package dev.sluice.durable.store;

import static dev.sluice.durable.store.Sql.DEAD_LETTERS;
import static dev.sluice.durable.store.Sql.EXECUTIONS;

import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The reads: one execution, pages of executions and dead letters, counts in the database. */
final class Reports {
  private final Database db;
  private final Dialect dialect;

  Reports(Database db, Dialect dialect) {
    this.db = db;
    this.dialect = dialect;
  }

  Optional<ExecutionRecord> find(ExecutionId executionId) {
    return db.read(
        "lookup of " + executionId,
        c -> {
          try (PreparedStatement query =
              c.prepareStatement("SELECT * FROM " + EXECUTIONS + " WHERE id = ?")) {
            query.setString(1, executionId.value());
            try (ResultSet rows = query.executeQuery()) {
              return rows.next()
                  ? Optional.of(Rows.toRecord(rows, dialect.tags(rows)))
                  : Optional.<ExecutionRecord>empty();
            }
          }
        });
  }

  List<ExecutionRecord> list(ExecutionFilter filter) {
    return db.read(
        "listing",
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT * FROM "
                      + EXECUTIONS
                      + " WHERE (CAST(? AS TEXT) IS NULL OR state = ?)"
                      + " AND (CAST(? AS TEXT) IS NULL OR queue = ?)"
                      + " AND (CAST(? AS TEXT) IS NULL OR task = ?)"
                      + " ORDER BY created_at DESC, "
                      + dialect.insertionOrder()
                      + " DESC LIMIT ? OFFSET ?")) {
            String state = filter.state() == null ? null : filter.state().storedName();
            query.setString(1, state);
            query.setString(2, state);
            query.setString(3, filter.queue());
            query.setString(4, filter.queue());
            query.setString(5, filter.task());
            query.setString(6, filter.task());
            query.setInt(7, filter.limit());
            query.setInt(8, filter.offset());
            try (ResultSet rows = query.executeQuery()) {
              List<ExecutionRecord> page = new ArrayList<>();
              while (rows.next()) {
                page.add(Rows.toRecord(rows, dialect.tags(rows)));
              }
              return page;
            }
          }
        });
  }

  /** Every state with its count, zeros included. */
  Map<ExecutionState, Long> countByState() {
    return db.read(
        "count by state",
        c -> {
          Map<ExecutionState, Long> counts = new EnumMap<>(ExecutionState.class);
          for (ExecutionState state : ExecutionState.values()) {
            counts.put(state, 0L);
          }
          try (Statement query = c.createStatement();
              ResultSet rows =
                  query.executeQuery(
                      "SELECT state, COUNT(*) FROM " + EXECUTIONS + " GROUP BY state")) {
            while (rows.next()) {
              counts.put(ExecutionState.fromStored(rows.getString(1)), rows.getLong(2));
            }
          }
          return counts;
        });
  }

  long countDeadLetters() {
    return db.read(
        "dead-letter count",
        c -> {
          try (Statement query = c.createStatement();
              ResultSet rows = query.executeQuery("SELECT COUNT(*) FROM " + DEAD_LETTERS)) {
            rows.next();
            return rows.getLong(1);
          }
        });
  }

  /** Dead letters, oldest failure first. */
  List<DeadLetter> deadLetters(int limit, int offset) {
    if (limit < 1 || offset < 0) {
      throw new IllegalArgumentException(
          "dead-letter page needs limit >= 1 and offset >= 0, was limit "
              + limit
              + ", offset "
              + offset);
    }
    return db.read(
        "dead-letter listing",
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT execution_id, task, queue, error, attempts, failed_at FROM "
                      + DEAD_LETTERS
                      + " ORDER BY failed_at, execution_id LIMIT ? OFFSET ?")) {
            query.setInt(1, limit);
            query.setInt(2, offset);
            try (ResultSet rows = query.executeQuery()) {
              List<DeadLetter> page = new ArrayList<>();
              while (rows.next()) {
                page.add(
                    new DeadLetter(
                        ExecutionId.of(rows.getString(1)),
                        rows.getString(2),
                        rows.getString(3),
                        rows.getString(4),
                        rows.getInt(5),
                        rows.getLong(6)));
              }
              return page;
            }
          }
        });
  }
}
