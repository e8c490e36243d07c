package dev.sluice.durable.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionState;
import dev.sluice.testkit.PostgresDatabase;
import dev.sluice.testkit.PostgresServer;
import dev.sluice.time.ManualTimeSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What only the PostgreSQL store promises: the database clock, global limits, notifications. */
class PostgresExecutionStoreIT {
  private static final long LEASE = 30_000;
  private PostgresDatabase database;
  private PostgresExecutionStore store;

  @BeforeEach
  void open() {
    database = PostgresServer.shared().createDatabase();
    store = open(PostgresExecutionStore.Clock.DATABASE);
  }

  @AfterEach
  void close() {
    store.close();
    database.close();
  }

  private PostgresExecutionStore open(PostgresExecutionStore.Clock clock) {
    return PostgresExecutionStoreContractIT.open(database, clock);
  }

  private static NewExecution execution(String id, String task, long createdAt, long due) {
    return new NewExecution(
        ExecutionId.of(id),
        task,
        "default",
        List.of(),
        0,
        "1",
        null,
        null,
        1,
        null,
        createdAt,
        due,
        null);
  }

  private static ClaimRequest claim(String worker, String task, int limit, long callerNow) {
    return new ClaimRequest(
        worker, List.of("default"), List.of(task), Set.of(), limit, callerNow, LEASE);
  }

  /**
   * Regression: after a burst of dispatches into a table analyzed while empty, the planner chose to
   * read and sort every due row on each claim (25 ms a claim at 20,000 due rows).
   */
  @Test
  void aClaimReadsTheDueRowsInOrderAndStopsAtItsLimitWhateverTheStatisticsSay() throws Exception {
    try (Connection c = database.connect();
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE sluice_executions SET (autovacuum_enabled = false)");
      s.execute("ANALYZE sluice_executions"); // statistics of an empty table
    }
    long now = System.currentTimeMillis();
    for (int batch = 0; batch < 5; batch++) {
      List<NewExecution> burst = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        burst.add(execution("e-" + batch + "-" + i, "work", now, now));
      }
      store.dispatchAll(burst);
    }
    // a backend reports its statistics when its connection closes (idle ones may hold them)
    store.close();
    await().atMost(Duration.ofSeconds(20)).until(() -> rowsRead()[2] > 0);
    long[] before = rowsRead();
    store = open(PostgresExecutionStore.Clock.DATABASE);
    assertThat(store.claim(claim("w", "work", 10, now))).hasSize(10);
    store.close();
    await().atMost(Duration.ofSeconds(20)).until(() -> rowsRead()[0] > before[0]);
    assertThat(rowsRead()[1] - before[1]).isLessThan(100);
  }

  /** Scans of the executions table, the rows they read and the rows inserted, as counted. */
  private long[] rowsRead() throws Exception {
    try (Connection c = database.connect();
        Statement s = c.createStatement();
        ResultSet rows =
            s.executeQuery(
                "SELECT seq_scan + COALESCE(idx_scan, 0), seq_tup_read + COALESCE(idx_tup_fetch,"
                    + " 0), n_tup_ins FROM pg_stat_user_tables WHERE relname = 'sluice_executions'")) {
      rows.next();
      return new long[] {rows.getLong(1), rows.getLong(2), rows.getLong(3)};
    }
  }

  @Test
  void aWorkerWhoseClockRunsAheadCannotStealALiveLease() {
    long now = System.currentTimeMillis();
    store.dispatch(execution("live", "work", now, now));
    assertThat(store.claim(claim("honest", "work", 1, now))).hasSize(1);
    long anHourAhead = now + 3_600_000;
    assertThat(store.claim(claim("fast-clock", "work", 1, anHourAhead))).isEmpty();
  }

  @Test
  void aDelayIsMeasuredFromTheDatabaseClockNotTheCallers() {
    long wrongClock = 0; // a caller whose clock says 1970
    store.dispatch(execution("later", "work", wrongClock, wrongClock + 3_600_000));
    store.dispatch(execution("now", "work", wrongClock, wrongClock));
    List<ExecutionRecord> claimed = store.claim(claim("w", "work", 5, wrongClock));
    assertThat(claimed).extracting(r -> r.id().value()).containsExactly("now");
    long databaseNow = claimed.get(0).startedAt();
    assertThat(databaseNow)
        .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
    assertThat(claimed.get(0).leaseExpiresAt()).isEqualTo(databaseNow + LEASE);
  }

  @Test
  void aHeartbeatRenewsTheLeaseForItsLengthFromTheDatabaseClock() {
    long now = System.currentTimeMillis();
    store.dispatch(execution("hb", "work", now, now));
    ExecutionRecord run = store.claim(claim("w", "work", 1, now)).get(0);
    assertThat(store.heartbeat(run.lease(), 1)).isTrue(); // the caller's time is not trusted
    long renewed = store.find(run.id()).orElseThrow().leaseExpiresAt();
    assertThat(renewed).isGreaterThanOrEqualTo(run.leaseExpiresAt());
  }

  @Test
  void fourStoresStartingAtOnceMigrateTheSchemaExactlyOnce() throws Exception {
    PostgresDatabase fresh = PostgresServer.shared().createDatabase();
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<PostgresExecutionStore>> opened = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
        for (int i = 0; i < 4; i++) {
          opened.add(
              pool.submit(
                  () -> {
                    start.await();
                    return PostgresExecutionStoreContractIT.open(
                        fresh, PostgresExecutionStore.Clock.DATABASE);
                  }));
        }
        start.countDown();
        for (Future<PostgresExecutionStore> each : opened) {
          each.get().close();
        }
      }
      try (Connection c = fresh.connect();
          Statement s = c.createStatement();
          ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM sluice_schema_version")) {
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(PostgresSchema.latestVersion());
      }
    } finally {
      fresh.close();
    }
  }

  /** One execution's run as its worker saw it: from after its claim to before its completion. */
  record Interval(long start, long end) {}

  @Test
  void aTaskLimitOfThreeHoldsAcrossFourStoresClaimingConcurrently() throws Exception {
    store.setConcurrencyLimit("limited", 3);
    long now = System.currentTimeMillis();
    List<NewExecution> batch = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      batch.add(execution("l" + i, "limited", now, now));
      batch.add(execution("u" + i, "free", now, now));
    }
    store.dispatchAll(batch);
    List<Interval> intervals = new CopyOnWriteArrayList<>();
    List<PostgresExecutionStore> stores = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      stores.add(open(PostgresExecutionStore.Clock.DATABASE));
    }
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        PostgresExecutionStore mine = stores.get(w % 4);
        String id = "worker-" + w;
        workers.add(
            pool.submit(
                () -> {
                  while (true) {
                    List<ExecutionRecord> got = mine.claim(claim(id, "limited", 3, 0));
                    if (got.isEmpty()) {
                      if (mine.countByState().get(ExecutionState.PENDING) == 0) {
                        return null;
                      }
                      Thread.onSpinWait();
                      continue;
                    }
                    long start = System.nanoTime();
                    Thread.sleep(5); // the handler's work
                    long end = System.nanoTime();
                    for (ExecutionRecord r : got) {
                      intervals.add(new Interval(start, end));
                      mine.complete(r.lease(), "null", 0);
                    }
                  }
                }));
      }
      // unlimited tasks keep flowing beside the limited ones
      List<ExecutionRecord> free = store.claim(claim("free", "free", 100, 0));
      assertThat(free).hasSize(60);
      for (ExecutionRecord r : free) {
        store.complete(r.lease(), "null", 0);
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } finally {
      stores.forEach(PostgresExecutionStore::close);
    }
    assertThat(intervals).hasSize(60);
    assertThat(maxOverlap(intervals)).isBetween(1, 3);
    assertThat(store.concurrencyLimits()).containsEntry("limited", 3);
  }

  @Test
  void aLimitSetByAnotherStoreBindsThisStoreOnceASecondHasPassedOnItsTimeSource() throws Exception {
    ManualTimeSource time = new ManualTimeSource(Instant.parse("2030-12-31T23:59:59Z"));
    try (PostgresExecutionStore timed =
            PostgresExecutionStore.builder()
                .url(database.jdbcUrl())
                .user(database.user())
                .password(database.password())
                .timeSource(time)
                .open();
        PostgresExecutionStore other = open(PostgresExecutionStore.Clock.DATABASE)) {
      assertThat(timed.claim(claim("w", "capped", 10, 0))).isEmpty(); // reads: nothing is limited
      other.setConcurrencyLimit("capped", 1);
      for (int i = 0; i < 4; i++) {
        other.dispatch(execution("c" + i, "capped", 0, 0));
      }

      time.advance(Duration.ofMillis(1_001));

      assertThat(timed.claim(claim("w", "capped", 10, 0))).hasSize(1);
      assertThat(timed.claim(claim("w", "capped", 10, 0))).isEmpty();
    }
  }

  @Test
  void migrationsAreStampedByTheStoresTimeSource() throws Exception {
    PostgresDatabase fresh = PostgresServer.shared().createDatabase();
    Instant at = Instant.parse("2032-02-29T00:00:01Z");
    try (PostgresExecutionStore timed =
        PostgresExecutionStore.builder()
            .url(fresh.jdbcUrl())
            .user(fresh.user())
            .password(fresh.password())
            .timeSource(new ManualTimeSource(at))
            .open()) {
      assertThat(timed.countDeadLetters()).isZero();
    }
    List<Long> stamps = new ArrayList<>();
    try (Connection c = fresh.connect();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT applied_at FROM sluice_schema_version")) {
      while (rows.next()) {
        stamps.add(rows.getLong(1));
      }
    } finally {
      fresh.close();
    }
    assertThat(stamps).isNotEmpty().containsOnly(at.toEpochMilli());
  }

  static int maxOverlap(List<Interval> intervals) {
    List<long[]> events = new ArrayList<>();
    for (Interval i : intervals) {
      events.add(new long[] {i.start(), 1});
      events.add(new long[] {i.end(), -1});
    }
    // at equal times an end comes before a start: touching intervals do not overlap
    events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int running = 0;
    int max = 0;
    for (long[] e : events) {
      running += (int) e[1];
      max = Math.max(max, running);
    }
    return max;
  }

  @Test
  void listenersHearDispatchesAndEndsCommittedByAnyStore() throws Exception {
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    try (AutoCloseable listening =
        store.listen(
            new PostgresExecutionStore.Listener() {
              @Override
              public void dispatched(String queue) {
                heard.add("dispatched " + queue);
              }

              @Override
              public void ended(ExecutionId id) {
                heard.add("ended " + id);
              }
            })) {
      try (PostgresExecutionStore other = open(PostgresExecutionStore.Clock.DATABASE)) {
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> {
                  // the listener connects asynchronously; dispatch until it hears one
                  other.dispatch(execution("n" + System.nanoTime(), "work", 0, 0));
                  return heard.contains("dispatched default");
                });
        ExecutionRecord run = other.claim(claim("w", "work", 1, 0)).get(0);
        other.complete(run.lease(), "1", 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("ended " + run.id()));
      }
    }
  }
}
