package dev.sluice.durable.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementCacheTest {
  @TempDir Path dir;

  @Test
  void aClosedStatementIsKeptWithItsParametersCleared() throws Exception {
    try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("c.db"))) {
      StatementCache cache = new StatementCache(raw);
      Connection c = cache.connection();
      PreparedStatement first;
      try (PreparedStatement s = c.prepareStatement("SELECT ? + 1")) {
        first = s.unwrap(PreparedStatement.class);
        s.setInt(1, 41);
        assertThat(value(s)).isEqualTo(42);
      }
      try (PreparedStatement s = c.prepareStatement("SELECT ? + 1")) {
        assertThat(s.unwrap(PreparedStatement.class)).isSameAs(first);
        assertThat(first.isClosed()).isFalse();
        // the value bound before the close is gone: NULL + 1 is NULL
        try (ResultSet rows = s.executeQuery()) {
          rows.next();
          assertThat(rows.getObject(1)).isNull();
        }
      }
      cache.clear();
      assertThat(first.isClosed()).isTrue();
    }
  }

  @Test
  void theLeastRecentlyUsedStatementIsClosedBeyondTheBound() throws Exception {
    try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("d.db"))) {
      StatementCache cache = new StatementCache(raw);
      Connection c = cache.connection();
      PreparedStatement eldest;
      try (PreparedStatement s = c.prepareStatement("SELECT 0")) {
        eldest = s.unwrap(PreparedStatement.class);
      }
      for (int i = 1; i <= 64; i++) {
        try (PreparedStatement s = c.prepareStatement("SELECT " + i)) {
          assertThat(value(s)).isEqualTo(i);
        }
      }
      assertThat(eldest.isClosed()).isTrue();
      try (PreparedStatement s = c.prepareStatement("SELECT 0")) {
        assertThat(value(s)).isZero(); // prepared again
      }
    }
  }

  @Test
  void errorsOfTheStatementComeThroughAsTheyAre() throws Exception {
    try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("e.db"))) {
      Connection c = new StatementCache(raw).connection();
      assertThatThrownBy(() -> c.prepareStatement("SELECT * FROM missing"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("missing");
    }
  }

  private static int value(PreparedStatement s) throws SQLException {
    try (ResultSet rows = s.executeQuery()) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
