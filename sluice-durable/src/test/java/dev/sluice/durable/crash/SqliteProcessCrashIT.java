package dev.sluice.durable.crash;

import dev.sluice.durable.store.ExecutionStore;
import dev.sluice.durable.store.SqliteExecutionStore;

/** Worker JVMs SIGKILLed mid-task, all sharing one SQLite file. */
class SqliteProcessCrashIT extends ProcessCrashContract {
  @Override
  ExecutionStore openStore() {
    return SqliteExecutionStore.open(directory.resolve("crash.db"));
  }

  @Override
  String kind() {
    return "sqlite";
  }

  @Override
  String workerDb() {
    return directory.resolve("crash.db").toString();
  }
}
