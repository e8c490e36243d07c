package dev.sluice.durable.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded SQLite store. */
class SqliteExecutionStoreContractTest extends ExecutionStoreContract {
  @TempDir Path directory;

  @Override
  ExecutionStore openStore() {
    return SqliteExecutionStore.open(directory.resolve("contract.db"));
  }

  @Override
  ExecutionStore openSecondStore() {
    return SqliteExecutionStore.open(directory.resolve("contract.db"));
  }
}
