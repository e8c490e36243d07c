package dev.sluice.durable.store;

import dev.sluice.testkit.PostgresDatabase;
import dev.sluice.testkit.PostgresServer;
import org.junit.jupiter.api.AfterEach;

/** The store contract on PostgreSQL, a fresh database per test, in caller-clock mode. */
class PostgresExecutionStoreContractIT extends ExecutionStoreContract {
  private PostgresDatabase database;

  static PostgresExecutionStore open(
      PostgresDatabase database, PostgresExecutionStore.Clock clock) {
    return PostgresExecutionStore.builder()
        .url(database.jdbcUrl())
        .user(database.user())
        .password(database.password())
        .clock(clock)
        .open();
  }

  @Override
  ExecutionStore openStore() {
    database = PostgresServer.shared().createDatabase();
    return open(database, PostgresExecutionStore.Clock.CALLER);
  }

  @Override
  ExecutionStore openSecondStore() {
    return open(database, PostgresExecutionStore.Clock.CALLER);
  }

  @AfterEach
  void dropDatabase() {
    store.close();
    database.close();
  }
}
