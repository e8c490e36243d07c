package dev.sluice.app;

import dev.sluice.durable.Operator;
import dev.sluice.durable.store.ExecutionStore;
import dev.sluice.durable.store.OperatorStore;
import dev.sluice.durable.store.PostgresExecutionStore;
import dev.sluice.durable.store.SqliteExecutionStore;
import dev.sluice.time.TimeSource;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import picocli.CommandLine.Option;

/** The options every durable command shares: which store, and how to print. */
final class StoreOptions {
  private final TimeSource time;

  StoreOptions(TimeSource time) {
    this.time = Objects.requireNonNull(time, "time");
  }

  /** The time source every command of this invocation reads. */
  TimeSource time() {
    return time;
  }

  /** The operator of an opened store, writing on this invocation's time source. */
  Operator operator(OperatorStore opened) {
    return Operator.of(opened, time);
  }

  @Option(
      names = "--db",
      paramLabel = "DB",
      defaultValue = "${env:SLUICE_DB}",
      description =
          "A SQLite file, or a PostgreSQL JDBC URL (jdbc:postgresql://host/db?user=..&password=..)."
              + " Default: the SLUICE_DB environment variable.")
  String db;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  /**
   * Opens the store named by {@code --db}. The caller closes it (try-with-resources), whatever
   * happens.
   */
  ExecutionStore open() {
    if (db == null || db.isBlank()) {
      throw new UsageException("--db is required (a SQLite file or a jdbc:postgresql:// URL)");
    }
    if (db.startsWith("jdbc:postgresql:")) {
      try {
        return PostgresExecutionStore.builder()
            .url(db)
            .poolSize(2)
            .connectionTimeout(5_000)
            .timeSource(time)
            .open();
      } catch (RuntimeException e) {
        throw new UsageException("--db " + redact(db) + ": cannot open: " + rootMessage(e), e);
      }
    }
    if (db.startsWith("jdbc:")) {
      throw new UsageException(
          "--db must be a SQLite file or a jdbc:postgresql: URL, was " + redact(db));
    }
    String file = db.startsWith("sqlite:") ? db.substring("sqlite:".length()) : db;
    Path path;
    try {
      path = Path.of(file);
    } catch (InvalidPathException e) {
      throw new UsageException("--db is not a valid file name: " + db, e);
    }
    // the command inspects a store; it never creates an empty one by mistake
    if (!Files.isRegularFile(path)) {
      throw new UsageException("--db " + db + ": no such SQLite file");
    }
    try {
      return SqliteExecutionStore.open(path, SqliteExecutionStore.DEFAULT_BUSY_TIMEOUT, time);
    } catch (RuntimeException e) {
      throw new UsageException("--db " + db + ": cannot open: " + rootMessage(e), e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return Errors.oneLine(String.valueOf(root.getMessage()));
  }

  /** Hides a password in a URL before it is printed. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }
}
