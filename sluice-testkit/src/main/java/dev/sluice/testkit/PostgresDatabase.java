package dev.sluice.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * One fresh database on a {@link PostgresServer}, dropped on {@link #close()}.
 *
 * @param server the server that holds it
 * @param name the database name
 * @param jdbcUrl the JDBC URL of this database
 * @param user the user name, or {@code null} when the URL carries it
 * @param password the password, or {@code null} when the URL carries it
 */
public record PostgresDatabase(
    PostgresServer server, String name, String jdbcUrl, String user, String password)
    implements AutoCloseable {

  /**
   * Opens a new connection to this database.
   *
   * @return a connection the caller closes
   * @throws SQLException if the server refuses
   */
  public Connection connect() throws SQLException {
    return user == null
        ? DriverManager.getConnection(jdbcUrl)
        : DriverManager.getConnection(jdbcUrl, user, password);
  }

  /** Drops the database, ending any connection still open to it. */
  @Override
  public void close() {
    server.dropDatabase(name);
  }
}
