package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresServerIT {
  @RegisterExtension static final PostgresExtension pg = new PostgresExtension();

  @Test
  void answersSelectVersion() throws SQLException {
    try (Connection connection = pg.database().connect();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select version()")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).startsWith("PostgreSQL");
    }
  }

  @Test
  void handsOutIsolatedDatabases() throws SQLException {
    try (PostgresDatabase other = PostgresServer.shared().createDatabase()) {
      assertThat(other.name()).isNotEqualTo(pg.database().name());
      try (Connection connection = other.connect();
          Statement statement = connection.createStatement()) {
        statement.execute("create table only_here (id int)");
      }
      try (Connection connection = pg.database().connect();
          Statement statement = connection.createStatement()) {
        assertThatThrownBy(() -> statement.executeQuery("select * from only_here"))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("only_here");
      }
    }
  }

  @Test
  void dropsADatabaseOnClose() throws SQLException {
    PostgresDatabase temporary = PostgresServer.shared().createDatabase();
    temporary.close();
    assertThatThrownBy(temporary::connect)
        .isInstanceOf(SQLException.class)
        .hasMessageContaining(temporary.name());
  }
}
