package dev.sluice.durable.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.durable.ExecutionId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * SQLite's spelling: the caller's clock, {@code MIN}, no row locks (one writer per file), tags as a
 * JSON array in TEXT, and no announcements (a single file has no other listeners).
 */
enum SqliteDialect implements Dialect {
  INSTANCE;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

  @Override
  public String clock() {
    return "clock AS (SELECT CAST(? AS INTEGER) AS now)";
  }

  @Override
  public void bindNow(PreparedStatement statement, int index, long callerNow) throws SQLException {
    statement.setLong(index, callerNow);
  }

  @Override
  public String least() {
    return "MIN";
  }

  @Override
  public String lockRow() {
    return "";
  }

  @Override
  public String skipLocked() {
    return "";
  }

  @Override
  public String insertionOrder() {
    return "rowid";
  }

  @Override
  public void bindTags(PreparedStatement statement, int index, List<String> tags)
      throws SQLException {
    statement.setString(index, tags.isEmpty() ? null : json(tags));
  }

  @Override
  public List<String> tags(ResultSet rows) throws SQLException {
    String tags = rows.getString("tags");
    if (tags == null) {
      return List.of();
    }
    try {
      return JSON.readValue(tags, STRING_LIST);
    } catch (JsonProcessingException e) {
      throw new SQLException("stored tags are not a JSON array of strings: " + tags, e);
    }
  }

  /** A list of strings as the JSON array {@code json_each} reads. */
  static String json(List<String> values) {
    try {
      return JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a list of strings as JSON", e);
    }
  }

  @Override
  public String notifyingDue(String clockedUpdateReturningQueue) {
    return clockedUpdateReturningQueue;
  }

  @Override
  public void due(Connection connection, String queue) {
    // nothing listens: workers of a file poll it
  }

  @Override
  public void ended(ExecutionId id) {
    // nothing listens: waits on a file poll it
  }
}
