package dev.sluice.durable.crash;

import dev.sluice.durable.store.ExecutionStore;
import dev.sluice.durable.store.PostgresExecutionStore;
import dev.sluice.testkit.PostgresDatabase;
import dev.sluice.testkit.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Worker JVMs SIGKILLed mid-task against one PostgreSQL database. */
class PostgresProcessCrashIT extends ProcessCrashContract {
  private PostgresDatabase database;

  @BeforeEach
  void createDatabase() {
    database = PostgresServer.shared().createDatabase();
  }

  @AfterEach
  void dropDatabase() {
    database.close();
  }

  static String url(PostgresDatabase database) {
    String url = database.jdbcUrl();
    if (database.user() != null && !url.contains("user=")) {
      url += (url.contains("?") ? "&" : "?") + "user=" + database.user();
    }
    if (database.password() != null && !url.contains("password=")) {
      url += (url.contains("?") ? "&" : "?") + "password=" + database.password();
    }
    return url;
  }

  @Override
  ExecutionStore openStore() {
    return PostgresExecutionStore.open(url(database));
  }

  @Override
  String kind() {
    return "postgres";
  }

  @Override
  String workerDb() {
    return url(database);
  }
}
