package dev.sluice.durable.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionState;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written by the store at schema version 1 (bare table names; the file in the test
 * resources was made by that code through the store's API) opens, migrates to the {@code sluice_*}
 * naming, and keeps every execution, step, signal and dead letter working.
 */
@Timeout(60)
class SqliteSchemaMigrationTest {
  static final long T = 1_700_000_000_000L;
  static final ExecutionId COMPLETED = ExecutionId.of("exec-1");
  static final ExecutionId FAILED = ExecutionId.of("exec-2");
  static final ExecutionId AWAITING_SIGNAL = ExecutionId.of("exec-3");
  static final ExecutionId PENDING = ExecutionId.of("exec-4");

  @TempDir Path dir;
  Path file;

  @BeforeEach
  void copyVersionOneDatabase() throws Exception {
    file = dir.resolve("v1.db");
    try (InputStream in = getClass().getResourceAsStream("sqlite-schema-v1.db")) {
      assertThat(in).as("test resource sqlite-schema-v1.db").isNotNull();
      Files.copy(in, file);
    }
    assertThat(tables()).contains("executions", "steps", "signals", "dead_letters");
  }

  @Test
  void versionOneTablesAreRenamedAndNothingIsLost() throws Exception {
    try (SqliteExecutionStore store = SqliteExecutionStore.open(file)) {
      assertThat(store.countByState())
          .containsEntry(ExecutionState.COMPLETED, 1L)
          .containsEntry(ExecutionState.FAILED, 1L)
          .containsEntry(ExecutionState.PENDING, 3L)
          .containsEntry(ExecutionState.RUNNING, 0L);
      assertThat(store.find(COMPLETED).orElseThrow().resultJson()).isEqualTo("\"ok\"");
      assertThat(store.steps(COMPLETED))
          .singleElement()
          .satisfies(step -> assertThat(step.outcomeJson()).isEqualTo("42"));
      assertThat(store.find(FAILED).orElseThrow().tags()).containsExactly("gpu");
      assertThat(store.deadLetters(10, 0))
          .singleElement()
          .satisfies(letter -> assertThat(letter.error()).isEqualTo("boom"));
    }
    assertThat(tables())
        .contains("sluice_executions", "sluice_steps", "sluice_signals", "sluice_dead_letters")
        .doesNotContain("executions", "steps", "signals", "dead_letters");
    assertThat(indexes())
        .allMatch(name -> name.startsWith("sluice_") || name.startsWith("sqlite_"));
    assertThat(schemaVersions()).containsExactly(1, 2);
  }

  @Test
  void migratedExecutionsAreClaimedAndFinishedAsNewOnes() {
    try (SqliteExecutionStore store = SqliteExecutionStore.open(file)) {
      long now = T + 2_000_000;
      List<ExecutionRecord> claimed =
          store.claim(
              new ClaimRequest(
                  "w2", List.of("default"), List.of("fetch"), Set.of(), 10, now, 5_000));
      assertThat(claimed).extracting(ExecutionRecord::id).containsOnly(AWAITING_SIGNAL, PENDING);
      ExecutionRecord waiting =
          claimed.stream().filter(r -> r.id().equals(AWAITING_SIGNAL)).findFirst().orElseThrow();
      Lease lease = new Lease(waiting.id(), waiting.fence(), "w2");
      // the signal buffered before the migration is still there to be taken
      assertThat(store.consumeSignal(lease, "go", 1, "wait", now)).contains("\"payload\"");
      // a heartbeat renews the lease for its claimed length, kept since version 2
      assertThat(store.heartbeat(lease, now + 5_000)).isTrue();
      assertThat(store.complete(lease, "1", now)).isTrue();
      // new signals get ids after the old ones, and the idempotency index still deduplicates
      assertThat(store.send(PENDING, "later", "2", now)).isTrue();
      Dispatched again =
          store.dispatch(
              new NewExecution(
                  ExecutionId.of("exec-new"),
                  "fetch",
                  "default",
                  List.of(),
                  0,
                  "{}",
                  "key-4",
                  null,
                  1,
                  null,
                  now,
                  now,
                  null));
      assertThat(again.created()).isFalse();
      assertThat(again.id()).isEqualTo(PENDING);
    }
  }

  @Test
  void aMigratedDatabaseOpensAgainWithoutChanges() throws Exception {
    SqliteExecutionStore.open(file).close();
    SqliteExecutionStore.open(file).close();
    assertThat(schemaVersions()).containsExactly(1, 2);
  }

  private List<String> tables() throws Exception {
    return names("SELECT name FROM sqlite_master WHERE type = 'table'");
  }

  private List<String> indexes() throws Exception {
    return names("SELECT name FROM sqlite_master WHERE type = 'index'");
  }

  private List<Integer> schemaVersions() throws Exception {
    return names("SELECT version FROM sluice_schema_version ORDER BY version").stream()
        .map(Integer::valueOf)
        .toList();
  }

  private List<String> names(String sql) throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery(sql)) {
      while (rows.next()) {
        names.add(rows.getString(1));
      }
    }
    return names;
  }
}
