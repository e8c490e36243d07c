package dev.sluice.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a fresh PostgreSQL database on the shared {@link PostgresServer}, and drops it
 * after the class.
 *
 * <pre>{@code
 * class PostgresStoreIT {
 *   @RegisterExtension static final PostgresExtension pg = new PostgresExtension();
 *
 *   @Test void claims() throws SQLException { try (Connection c = pg.database().connect()) { ... } }
 * }
 * }</pre>
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {
  private PostgresDatabase database;

  /** Creates the extension; the database is created before the first test of the class. */
  public PostgresExtension() {}

  /**
   * The database of the running test class.
   *
   * @return the database
   * @throws IllegalStateException if called outside the test class lifecycle
   */
  public PostgresDatabase database() {
    if (database == null) {
      throw new IllegalStateException(
          "PostgresExtension has no database: register it as a static @RegisterExtension field");
    }
    return database;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    database = PostgresServer.shared().createDatabase();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (database != null) {
      database.close();
      database = null;
    }
  }
}
