package dev.sluice.durable.store;

import dev.sluice.durable.ExecutionId;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * PostgreSQL's spelling: {@code now()} of the database unless the store runs on the caller's clock,
 * {@code LEAST}, {@code FOR UPDATE} and {@code SKIP LOCKED}, tags as {@code text[]}, and {@code
 * pg_notify} for wake-ups (in the statement) and ends (batched after commit).
 */
final class PostgresDialect implements Dialect {
  static final String DB_NOW = "(EXTRACT(EPOCH FROM now()) * 1000)::bigint";
  static final String CLOCK = "clock AS (SELECT COALESCE(?::bigint, " + DB_NOW + ") AS now)";

  private final PostgresExecutionStore.Clock clock;
  private final @Nullable PostgresEndAnnouncer announcer;

  /**
   * @param clock which clock decides
   * @param announcer what announces ends, or {@code null} not to announce them
   */
  PostgresDialect(PostgresExecutionStore.Clock clock, @Nullable PostgresEndAnnouncer announcer) {
    this.clock = clock;
    this.announcer = announcer;
  }

  @Override
  public String clock() {
    return CLOCK;
  }

  @Override
  public void bindNow(PreparedStatement statement, int index, long callerNow) throws SQLException {
    if (clock == PostgresExecutionStore.Clock.CALLER) {
      statement.setLong(index, callerNow);
    } else {
      statement.setNull(index, Types.BIGINT);
    }
  }

  boolean callerClock() {
    return clock == PostgresExecutionStore.Clock.CALLER;
  }

  @Override
  public String least() {
    return "LEAST";
  }

  @Override
  public String lockRow() {
    return " FOR UPDATE";
  }

  @Override
  public String skipLocked() {
    return " FOR UPDATE SKIP LOCKED";
  }

  @Override
  public String insertionOrder() {
    return "seq";
  }

  @Override
  public void bindTags(PreparedStatement statement, int index, List<String> tags)
      throws SQLException {
    statement.setArray(index, statement.getConnection().createArrayOf("text", tags.toArray()));
  }

  @Override
  public List<String> tags(ResultSet rows) throws SQLException {
    return strings(rows.getArray("tags"));
  }

  static List<String> strings(Array array) throws SQLException {
    if (array == null) {
      return List.of();
    }
    Object[] values = (Object[]) array.getArray();
    List<String> strings = new ArrayList<>(values.length);
    for (Object value : values) {
      strings.add((String) value);
    }
    return strings;
  }

  @Override
  public String notifyingDue(String update) {
    String prefix = "WITH " + CLOCK + " ";
    if (!update.startsWith(prefix) || !update.endsWith(" RETURNING queue")) {
      throw new IllegalArgumentException("not a clocked update returning queue: " + update);
    }
    return prefix.substring(0, prefix.length() - 1)
        + ", changed AS ("
        + update.substring(prefix.length())
        + ") SELECT pg_notify('"
        + PostgresExecutionStore.DISPATCH_CHANNEL
        + "', queue) FROM changed";
  }

  @Override
  public void due(Connection connection, String queue) throws SQLException {
    try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
      notify.setString(1, PostgresExecutionStore.DISPATCH_CHANNEL);
      notify.setString(2, queue);
      notify.execute();
    }
  }

  @Override
  public void ended(ExecutionId id) {
    if (announcer != null) {
      announcer.ended(id.value());
    }
  }
}
