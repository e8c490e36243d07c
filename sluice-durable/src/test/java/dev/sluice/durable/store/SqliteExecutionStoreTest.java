package dev.sluice.durable.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.durable.DurableException;
import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionState;
import dev.sluice.time.ManualTimeSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SqliteExecutionStoreTest {
  static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  static final long LEASE = 10_000;

  @TempDir Path dir;
  SqliteExecutionStore store;

  @BeforeEach
  void open() {
    store = SqliteExecutionStore.open(dir.resolve("store.db"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void migrationsAreStampedByTheStoresTimeSource() throws Exception {
    Instant at = Instant.parse("2032-02-29T23:59:59Z");
    Path file = dir.resolve("timed.db");
    try (SqliteExecutionStore timed =
        SqliteExecutionStore.open(
            file, SqliteExecutionStore.DEFAULT_BUSY_TIMEOUT, new ManualTimeSource(at))) {
      assertThat(timed.countDeadLetters()).isZero();
    }
    List<Long> stamps = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT applied_at FROM sluice_schema_version")) {
      while (rows.next()) {
        stamps.add(rows.getLong(1));
      }
    }
    assertThat(stamps).isNotEmpty().containsOnly(at.toEpochMilli());
  }

  static NewExecution execution(String id, long due) {
    return execution(id, due, List.of(), 0);
  }

  static NewExecution execution(String id, long due, List<String> tags, int priority) {
    return new NewExecution(
        ExecutionId.of(id), "t", "q", tags, priority, "\"in\"", null, null, 3, null, T0, due, null);
  }

  List<ExecutionRecord> claim(String worker, long now, int limit, String... tags) {
    return store.claim(
        new ClaimRequest(worker, List.of("q"), List.of("t"), Set.of(tags), limit, now, LEASE));
  }

  @Test
  void migrationsRunOnceWhenEightConnectionsOpenANewFileAtTheSameTime() throws Exception {
    Path file = dir.resolve("race.db");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<SqliteExecutionStore>> opened = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      opened.add(
          pool.submit(
              () -> {
                start.await();
                return SqliteExecutionStore.open(file);
              }));
    }
    start.countDown();
    for (Future<SqliteExecutionStore> f : opened) {
      f.get().close();
    }
    pool.shutdown();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement();
        ResultSet rows =
            s.executeQuery(
                "SELECT version, COUNT(*) FROM sluice_schema_version GROUP BY version")) {
      List<String> versions = new ArrayList<>();
      while (rows.next()) {
        versions.add(rows.getInt(1) + "x" + rows.getInt(2));
      }
      // every migration ran exactly once
      assertThat(versions)
          .containsExactlyElementsOf(
              SqliteSchema.MIGRATIONS.stream().map(m -> m.version() + "x1").toList());
    }
  }

  @Test
  void refusesADatabaseWhoseSchemaIsNewerThanThisLibrary() throws Exception {
    Path file = dir.resolve("newer.db");
    SqliteExecutionStore.open(file).close();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO sluice_schema_version VALUES (999, 'from the future', 0)");
    }
    assertThatThrownBy(() -> SqliteExecutionStore.open(file))
        .isInstanceOf(DurableException.class)
        .hasMessageContaining("999");
  }

  @Test
  void databaseIsInWriteAheadLogMode() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("PRAGMA journal_mode")) {
      rows.next();
      assertThat(rows.getString(1)).isEqualToIgnoringCase("wal");
    }
  }

  @Test
  void retriedExecutionIsNotClaimableBeforeItsScheduledTimeAndIsAfter() {
    store.dispatch(execution("a", T0));
    Lease lease = claim("w1", T0, 1).get(0).lease();

    assertThat(store.retry(lease, "boom", T0 + 5_000, T0)).isTrue();

    ExecutionRecord pending = store.find(ExecutionId.of("a")).orElseThrow();
    assertThat(pending.state()).isEqualTo(ExecutionState.PENDING);
    assertThat(pending.attempt()).isEqualTo(2);
    assertThat(pending.workerId()).isNull();
    assertThat(pending.leaseExpiresAt()).isNull();
    assertThat(pending.startedAt()).isNull();
    assertThat(claim("w2", T0 + 4_999, 10)).isEmpty();
    assertThat(claim("w2", T0 + 5_000, 10))
        .extracting(ExecutionRecord::id)
        .containsExactly(ExecutionId.of("a"));
  }

  @Test
  void claimTakesAtMostTheLimitHighestPriorityFirstThenEarliestDue() {
    store.dispatchAll(
        List.of(
            execution("low-early", T0 - 2, List.of(), 0),
            execution("high", T0, List.of(), 5),
            execution("low-late", T0 - 1, List.of(), 0),
            execution("future", T0 + 1, List.of(), 9)));

    List<ExecutionRecord> first = claim("w", T0, 2);
    List<ExecutionRecord> second = claim("w", T0, 5);

    assertThat(first)
        .extracting(r -> r.id().value())
        .containsExactlyInAnyOrder("high", "low-early");
    assertThat(second).extracting(r -> r.id().value()).containsExactly("low-late");
    assertThat(first)
        .allSatisfy(
            r -> {
              assertThat(r.state()).isEqualTo(ExecutionState.RUNNING);
              assertThat(r.leaseExpiresAt()).isEqualTo(T0 + LEASE);
              assertThat(r.workerId()).isEqualTo("w");
              assertThat(r.fence()).isEqualTo(1);
            });
  }

  @Test
  void tagsRuleAWorkerTakesExecutionsWhoseTagsItAllHasAndUntaggedOnes() {
    store.dispatchAll(
        List.of(
            execution("none", T0, List.of(), 0),
            execution("gpu", T0, List.of("gpu"), 0),
            execution("gpu-eu", T0, List.of("gpu", "eu"), 0),
            execution("us", T0, List.of("us"), 0)));

    assertThat(claim("eu-gpu-worker", T0, 10, "eu", "gpu", "spare"))
        .extracting(r -> r.id().value())
        .containsExactlyInAnyOrder("none", "gpu", "gpu-eu");
    assertThat(claim("untagged-worker", T0, 10)).isEmpty();
    assertThat(claim("us-worker", T0, 10, "us"))
        .extracting(r -> r.id().value())
        .containsExactly("us");
  }

  @Test
  void expiredLeaseIsReclaimedUnderANewFenceAndTheOldLeaseCanWriteNothing() {
    store.dispatch(execution("a", T0));
    Lease old = claim("dead", T0, 1).get(0).lease();
    assertThat(claim("other", T0 + LEASE - 1, 1)).as("lease still held").isEmpty();

    Lease current = claim("other", T0 + LEASE, 1).get(0).lease();
    assertThat(current.fence()).isEqualTo(old.fence() + 1);

    StepRecord step =
        new StepRecord(ExecutionId.of("a"), 1, "s", StepKind.STEP, StepStatus.DONE, "1", null, T0);
    assertThat(store.heartbeat(old, T0 + 99_999)).isFalse();
    assertThat(store.recordStep(old, step)).isFalse();
    assertThat(store.complete(old, "\"zombie\"", T0)).isFalse();
    assertThat(store.retry(old, "x", T0, T0)).isFalse();
    assertThat(store.fail(old, "x", T0)).isFalse();
    assertThat(store.suspend(old, T0, null, T0)).isFalse();
    assertThat(store.release(old, T0)).isFalse();
    assertThat(store.consumeSignal(old, "s", 1, "signal:s", T0)).isEmpty();
    assertThat(store.steps(ExecutionId.of("a"))).isEmpty();
    assertThat(store.countDeadLetters()).isZero();
    ExecutionRecord after = store.find(ExecutionId.of("a")).orElseThrow();
    assertThat(after.state()).isEqualTo(ExecutionState.RUNNING);
    assertThat(after.workerId()).isEqualTo("other");
    assertThat(after.leaseExpiresAt()).isEqualTo(T0 + 2 * LEASE);

    assertThat(store.complete(current, "\"real\"", T0 + LEASE)).isTrue();
    assertThat(store.find(ExecutionId.of("a")).orElseThrow().resultJson()).isEqualTo("\"real\"");
  }

  @Test
  void cancelIsTerminalAndALateCompletionFromTheLeaseHolderChangesNothing() {
    store.dispatch(execution("a", T0));
    Lease lease = claim("w", T0, 1).get(0).lease();

    assertThat(store.cancel(ExecutionId.of("a"), T0 + 1)).isTrue();

    assertThat(store.complete(lease, "42", T0 + 2)).isFalse();
    assertThat(store.heartbeat(lease, T0 + LEASE)).isFalse();
    assertThat(store.cancel(ExecutionId.of("a"), T0 + 3)).isFalse();
    ExecutionRecord cancelled = store.find(ExecutionId.of("a")).orElseThrow();
    assertThat(cancelled.state()).isEqualTo(ExecutionState.CANCELLED);
    assertThat(cancelled.resultJson()).isNull();
    assertThat(cancelled.finishedAt()).isEqualTo(T0 + 1);
    assertThat(claim("w", T0 + LEASE * 10, 10)).isEmpty();
  }

  @Test
  void idempotencyKeyReturnsTheFirstExecutionAndAChildIdIsInsertedOnce() {
    NewExecution keyed =
        new NewExecution(
            ExecutionId.of("first"),
            "t",
            "q",
            List.of(),
            0,
            "1",
            "key",
            null,
            1,
            null,
            T0,
            T0,
            null);
    NewExecution again =
        new NewExecution(
            ExecutionId.of("second"),
            "t",
            "q",
            List.of(),
            0,
            "2",
            "key",
            null,
            1,
            null,
            T0,
            T0,
            null);
    NewExecution otherTask =
        new NewExecution(
            ExecutionId.of("third"),
            "u",
            "q",
            List.of(),
            0,
            "3",
            "key",
            null,
            1,
            null,
            T0,
            T0,
            null);

    assertThat(store.dispatch(keyed)).isEqualTo(new Dispatched(ExecutionId.of("first"), true));
    assertThat(store.dispatch(again)).isEqualTo(new Dispatched(ExecutionId.of("first"), false));
    assertThat(store.dispatch(otherTask)).isEqualTo(new Dispatched(ExecutionId.of("third"), true));
    assertThat(store.dispatch(keyed)).isEqualTo(new Dispatched(ExecutionId.of("first"), false));
  }

  @Test
  void failureWritesADeadLetterThatCanBeListedReplayedAndDiscarded() {
    store.dispatchAll(List.of(execution("a", T0), execution("b", T0)));
    for (ExecutionRecord r : claim("w", T0, 2)) {
      assertThat(store.fail(r.lease(), "java.io.IOException: down", T0 + 1)).isTrue();
    }
    assertThat(store.countDeadLetters()).isEqualTo(2);
    assertThat(store.deadLetters(1, 1)).hasSize(1);
    assertThat(store.deadLetters(10, 0))
        .allSatisfy(d -> assertThat(d.error()).isEqualTo("java.io.IOException: down"));

    assertThat(store.replay(ExecutionId.of("a"), T0 + 2)).isTrue();
    assertThat(store.discard(ExecutionId.of("b"))).isTrue();

    assertThat(store.countDeadLetters()).isZero();
    ExecutionRecord replayed = store.find(ExecutionId.of("a")).orElseThrow();
    assertThat(replayed.state()).isEqualTo(ExecutionState.PENDING);
    assertThat(replayed.attempt()).isEqualTo(1);
    assertThat(store.find(ExecutionId.of("b")).orElseThrow().state())
        .isEqualTo(ExecutionState.FAILED);
  }

  @Test
  void suspensionAwaitingASignalThatIsAlreadyBufferedIsDueAtOnce() {
    store.dispatch(execution("a", T0));
    Lease lease = claim("w", T0, 1).get(0).lease();
    assertThat(store.send(ExecutionId.of("a"), "go", "true", T0)).isTrue();

    assertThat(store.suspend(lease, T0 + 3_600_000, Awaiting.signal("go"), T0 + 1)).isTrue();

    assertThat(store.find(ExecutionId.of("a")).orElseThrow().scheduledFor()).isEqualTo(T0 + 1);
    assertThat(store.send(ExecutionId.of("missing"), "go", "true", T0)).isFalse();
  }

  @Test
  void purgeDeletesEndedExecutionsOlderThanTheCutoffInBatchesWithTheirSteps() {
    List<NewExecution> batch = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      batch.add(execution("e" + i, T0));
    }
    batch.add(execution("live", T0 + 1_000_000));
    store.dispatchAll(batch);
    List<ExecutionRecord> claimed = claim("w", T0, 25);
    for (ExecutionRecord r : claimed) {
      store.recordStep(
          r.lease(), new StepRecord(r.id(), 1, "s", StepKind.STEP, StepStatus.DONE, "0", null, T0));
      if (r.id().value().equals("e0")) {
        store.fail(r.lease(), "x", T0);
      } else {
        store.complete(r.lease(), "0", T0);
      }
    }

    assertThat(store.purgeFinished(T0, 10)).as("nothing older than the cutoff").isZero();
    assertThat(store.purgeFinished(T0 + 1, 10)).isEqualTo(10);
    assertThat(store.purgeFinished(T0 + 1, 10)).isEqualTo(10);
    assertThat(store.purgeFinished(T0 + 1, 10)).isEqualTo(4);
    assertThat(store.purgeFinished(T0 + 1, 10)).isZero();

    assertThat(store.countByState().get(ExecutionState.COMPLETED)).isZero();
    assertThat(store.countByState().get(ExecutionState.FAILED)).isEqualTo(1);
    assertThat(store.countByState().get(ExecutionState.PENDING)).isEqualTo(1);
    assertThat(store.steps(ExecutionId.of("e1"))).isEmpty();
    assertThat(store.steps(ExecutionId.of("e0"))).hasSize(1);
  }

  @Test
  void eightClaimersOnTheirOwnConnectionsRacingForTheSameRowsNeverClaimOneTwice() throws Exception {
    Path file = dir.resolve("race.db");
    int executions = 2_000;
    List<SqliteExecutionStore> stores = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      stores.add(SqliteExecutionStore.open(file));
    }
    List<NewExecution> batch = new ArrayList<>();
    for (int i = 0; i < executions; i++) {
      batch.add(execution("x" + i, T0));
    }
    stores.get(0).dispatchAll(batch);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<String>>> results = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      SqliteExecutionStore mine = stores.get(w);
      String worker = "w" + w;
      results.add(
          pool.submit(
              () -> {
                start.await();
                List<String> got = new ArrayList<>();
                List<ExecutionRecord> claimed;
                do {
                  claimed =
                      mine.claim(
                          new ClaimRequest(
                              worker, List.of("q"), List.of("t"), Set.of(), 7, T0, LEASE));
                  for (ExecutionRecord r : claimed) {
                    got.add(r.id().value());
                    assertThat(mine.complete(r.lease(), "true", T0)).isTrue();
                  }
                } while (!claimed.isEmpty());
                return got;
              }));
    }
    start.countDown();
    List<String> all = new ArrayList<>();
    for (Future<List<String>> f : results) {
      all.addAll(f.get());
    }
    pool.shutdown();
    stores.forEach(SqliteExecutionStore::close);

    assertThat(all).hasSize(executions).doesNotHaveDuplicates();
    assertThat(store.countByState().get(ExecutionState.COMPLETED)).isZero(); // a different file
  }

  @Test
  void aNullResultIsStoredAsAPresentResult() {
    store.dispatch(execution("a", T0));
    Lease lease = claim("w", T0, 1).get(0).lease();
    assertThat(store.complete(lease, "null", T0)).isTrue();
    ExecutionRecord done = store.find(ExecutionId.of("a")).orElseThrow();
    assertThat(done.state()).isEqualTo(ExecutionState.COMPLETED);
    assertThat(done.resultJson()).isEqualTo("null");
  }
}
