package dev.sluice.durable.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.durable.DurableException;
import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.ExecutionState;
import dev.sluice.time.TimeSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link ExecutionStore} for many workers in many processes: PostgreSQL through a HikariCP
 * pool.
 *
 * <p>How it works:
 *
 * <ul>
 *   <li><b>Claims</b> are one statement: a CTE selects due rows ordered by priority and due time
 *       {@code FOR UPDATE SKIP LOCKED} and an {@code UPDATE ... RETURNING} takes them under a new
 *       lease, so concurrent workers get disjoint rows without waiting on each other.
 *   <li><b>The database clock.</b> By default ({@link Clock#DATABASE}) due times, leases,
 *       heartbeats and expiry are compared against PostgreSQL's {@code now()}, never a worker's
 *       clock: a worker whose clock runs ahead cannot steal a live lease. The times callers pass
 *       are used only for their distance from the caller's {@code now} (a retry "in 5 s" is due 5 s
 *       after the database's now). {@link Clock#CALLER} uses the caller's times as they are, as the
 *       SQLite store does, which tests with a manual clock need.
 *   <li><b>Fencing.</b> Every write after a claim names the lease's fence and changes the row only
 *       while it is running under that fence.
 *   <li><b>Global concurrency limits</b> per task ({@link #setConcurrencyLimit}) hold across every
 *       worker and process: SKIP LOCKED alone would let two claimers each see the same free budget,
 *       so a claim of a limited task first locks that task's limit row, and the claim statement
 *       (with a fresh snapshot) counts live leases under that lock.
 *   <li><b>Notifications.</b> Dispatches and wake-ups send {@code NOTIFY sluice_dispatch} at
 *       commit; ends are announced on {@code sluice_ended} in batches (ids separated by newlines) a
 *       few milliseconds after their commits. {@link #listen} delivers them to a listener as a
 *       latency hint; polling stays the fallback when one is lost.
 *   <li><b>Migrations</b> run at {@link Builder#open()} under an advisory lock, so processes that
 *       start together do not race.
 * </ul>
 *
 * <pre>{@code
 * try (PostgresExecutionStore store =
 *     PostgresExecutionStore.builder().url("jdbc:postgresql://db/app").user("app").password(pw).open()) {
 *   Durable durable = Durable.builder().store(store).build();
 * }
 * }</pre>
 */
public final class PostgresExecutionStore implements ExecutionStore {
  private static final System.Logger LOG = System.getLogger(PostgresExecutionStore.class.getName());

  /** The channel that carries dispatches and wake-ups; the payload is the queue name. */
  public static final String DISPATCH_CHANNEL = "sluice_dispatch";

  /** The channel that carries ends of executions; the payload is the execution id. */
  public static final String ENDED_CHANNEL = "sluice_ended";

  /** Which clock decides due times, leases and expiry. */
  public enum Clock {
    /** PostgreSQL's {@code now()}: the one clock every worker agrees on. The default. */
    DATABASE,
    /** The times the caller passes, as they are; for tests driven by a manual clock. */
    CALLER
  }

  /** Receives notifications from the database; called on the listener's own thread. */
  public interface Listener {
    /**
     * Something became due in a queue (a dispatch, a retry, a hand-back, a wake-up).
     *
     * @param queue the queue
     */
    default void dispatched(String queue) {}

    /**
     * An execution reached a terminal state.
     *
     * @param id the execution
     */
    default void ended(ExecutionId id) {}
  }

  static final String TABLE = "sluice_executions";
  private static final String DB_NOW = "(EXTRACT(EPOCH FROM now()) * 1000)::bigint";
  private static final String CLOCK =
      "clock AS (SELECT COALESCE(?::bigint, " + DB_NOW + ") AS now)";
  private static final String LIVE = "('pending','running')";
  private static final String TERMINAL = "('completed','failed','cancelled','expired')";
  private static final String CLEAR_LEASE = "worker_id = NULL, lease_expires_at = NULL";
  private static final String FENCED = " id = ? AND fence = ? AND state = 'running'";

  /** Caps a caller's "later" so that now + delay cannot overflow a BIGINT (about 300 years). */
  private static final long MAX_DELAY_MILLIS = 10_000_000_000_000L;

  /** How old this store's view of which tasks have limits may be. */
  private static final long LIMITS_MAX_AGE_NANOS = 1_000_000_000L;

  private final HikariDataSource pool;
  private final String url;
  private final Clock clock;
  private final TimeSource time;
  private final PostgresEndAnnouncer announcer;
  private final PostgresNotifications notifications;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Set<String> limitedTasks;
  private volatile long limitsReadAt;

  private PostgresExecutionStore(HikariDataSource pool, String url, Clock clock, Builder builder) {
    this.pool = pool;
    this.url = url;
    this.clock = clock;
    this.time = builder.time;
    this.announcer = builder.announceEnds ? new PostgresEndAnnouncer(pool) : null;
    this.notifications = new PostgresNotifications(url, builder.user, builder.password);
  }

  /**
   * Opens a store on a JDBC URL that carries any credentials ({@code ?user=..&password=..}), with
   * the database clock and a pool of 10 connections, and migrates the schema.
   *
   * @param jdbcUrl a {@code jdbc:postgresql://} URL
   * @return the open store; close it when done
   * @throws IllegalArgumentException if the URL is not a PostgreSQL JDBC URL
   * @throws DurableException if the database cannot be reached or migrated
   */
  public static PostgresExecutionStore open(String jdbcUrl) {
    return builder().url(jdbcUrl).open();
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---- transactions ----------------------------------------------------------------------

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Runs work of several statements in one transaction. */
  private <T> T tx(String what, Work<T> work) {
    ensureOpen();
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new DurableException("PostgreSQL store " + url + ": " + what + " failed: " + e, e);
    }
  }

  /** Runs one statement, which is its own transaction: one round trip, no separate commit. */
  private <T> T single(String what, Work<T> work) {
    ensureOpen();
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new DurableException("PostgreSQL store " + url + ": " + what + " failed: " + e, e);
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new DurableException("PostgreSQL store " + url + " is closed");
    }
  }

  /** Binds the clock parameter: the caller's time, or NULL for the database's. */
  private void bindNow(PreparedStatement statement, int index, long callerNow) throws SQLException {
    if (clock == Clock.CALLER) {
      statement.setLong(index, callerNow);
    } else {
      statement.setNull(index, Types.BIGINT);
    }
  }

  private static long delay(long later, long now) {
    long delay = later - now;
    if (later < now) {
      return Math.max(delay, -MAX_DELAY_MILLIS);
    }
    return delay < 0 ? MAX_DELAY_MILLIS : Math.min(delay, MAX_DELAY_MILLIS);
  }

  // ---- dispatch --------------------------------------------------------------------------

  @Override
  public Dispatched dispatch(NewExecution execution) {
    return tx("dispatch of " + execution.id(), c -> insertAll(c, List.of(execution)).get(0));
  }

  @Override
  public List<Dispatched> dispatchAll(List<NewExecution> executions) {
    if (executions.isEmpty()) {
      return List.of();
    }
    return tx("dispatch of " + executions.size() + " executions", c -> insertAll(c, executions));
  }

  private List<Dispatched> insertAll(Connection c, List<NewExecution> executions)
      throws SQLException {
    int[] counts;
    try (PreparedStatement insert =
        c.prepareStatement(
            "WITH "
                + CLOCK
                + " INSERT INTO "
                + TABLE
                + " (id, task, queue, tags, priority, state, input, idempotency_key, parent_id,"
                + " attempt, max_attempts, retry, created_at, scheduled_for, expires_at,"
                + " updated_at, fence) SELECT ?, ?, ?, ?, ?, 'pending', ?, ?, ?, 1, ?, ?,"
                + " clock.now, clock.now + ?, clock.now + ?, clock.now, 0 FROM clock"
                + " ON CONFLICT DO NOTHING")) {
      for (NewExecution e : executions) {
        bindNow(insert, 1, e.createdAt());
        insert.setString(2, e.id().value());
        insert.setString(3, e.task());
        insert.setString(4, e.queue());
        insert.setArray(5, c.createArrayOf("text", e.tags().toArray()));
        insert.setInt(6, e.priority());
        insert.setString(7, e.inputJson());
        insert.setString(8, e.idempotencyKey());
        insert.setString(9, e.parentId() == null ? null : e.parentId().value());
        insert.setInt(10, e.maxAttempts());
        insert.setString(11, e.retryJson());
        insert.setLong(12, delay(e.scheduledFor(), e.createdAt()));
        if (e.expiresAt() == null) {
          insert.setNull(13, Types.BIGINT);
        } else {
          insert.setLong(13, delay(e.expiresAt(), e.createdAt()));
        }
        insert.addBatch();
      }
      counts = insert.executeBatch();
    }
    List<Dispatched> results = new ArrayList<>(executions.size());
    List<String> queues = new ArrayList<>();
    for (int i = 0; i < executions.size(); i++) {
      NewExecution e = executions.get(i);
      if (counts[i] == 1) {
        results.add(new Dispatched(e.id(), true));
        if (!queues.contains(e.queue())) {
          queues.add(e.queue());
        }
      } else {
        results.add(new Dispatched(existing(c, e), false));
      }
    }
    for (String queue : queues) {
      notify(c, DISPATCH_CHANNEL, queue);
    }
    return results;
  }

  /** The execution a conflicting insert ran into: the same id, or the same idempotency key. */
  private static ExecutionId existing(Connection c, NewExecution e) throws SQLException {
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT id FROM "
                + TABLE
                + " WHERE id = ? OR (task = ? AND idempotency_key = ?)"
                + " ORDER BY id = ? DESC LIMIT 1")) {
      query.setString(1, e.id().value());
      query.setString(2, e.task());
      query.setString(3, e.idempotencyKey());
      query.setString(4, e.id().value());
      try (ResultSet rows = query.executeQuery()) {
        if (!rows.next()) {
          throw new SQLException("insert of " + e.id() + " conflicted but no row matches");
        }
        return ExecutionId.of(rows.getString(1));
      }
    }
  }

  private static void notify(Connection c, String channel, String payload) throws SQLException {
    try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      notify.setString(1, channel);
      notify.setString(2, payload);
      notify.execute();
    }
  }

  // ---- claims ----------------------------------------------------------------------------

  /**
   * Sent with every claim, in its transaction: the due rows are read in order from their partial
   * indexes and the scan stops at the limit, whatever the planner's statistics say, and the plan is
   * made once per connection. A queue table changes faster than autovacuum analyzes it: after a
   * burst of dispatches into a table last analyzed while nearly empty, the planner expects a
   * handful of due rows and reads and sorts all of them on every claim instead (measured: 25 ms per
   * claim at 20,000 due rows, 0.7 ms with this). {@code set_config(.., true)} lasts until the end
   * of the transaction, which in auto-commit mode is the end of this one round trip.
   */
  private static final String ORDERED_SCANS =
      "SELECT set_config('enable_seqscan', 'off', true),"
          + " set_config('enable_bitmapscan', 'off', true),"
          + " set_config('plan_cache_mode', 'force_generic_plan', true); ";

  @Override
  public List<ExecutionRecord> claim(ClaimRequest request) {
    if (!anyLimited(request.tasks())) {
      // the common case: one round trip; limited tasks are left out (in case a limit was set
      // elsewhere since the last look) until the next look at the limits takes the locked path
      return single(
          "claim by worker " + request.workerId(), c -> claimDue(c, request, Claim.UNLIMITED));
    }
    return tx(
        "claim by worker " + request.workerId(),
        c -> {
          boolean limited = lockLimits(c, request.tasks());
          return claimDue(c, request, limited ? Claim.LIMITED : Claim.UNLIMITED);
        });
  }

  /** How a claim treats tasks with a concurrency limit. */
  private enum Claim {
    /** Leaves limited tasks alone. */
    UNLIMITED,
    /** Takes limited tasks within their budget; the limit rows are locked by the caller. */
    LIMITED
  }

  /** Whether any of the tasks has a limit, by a view of the limits at most a second old. */
  private boolean anyLimited(List<String> tasks) {
    long now = time.nanoTime();
    Set<String> limited = limitedTasks;
    if (limited == null || now - limitsReadAt > LIMITS_MAX_AGE_NANOS) {
      limited = Set.copyOf(concurrencyLimits().keySet());
      limitedTasks = limited;
      limitsReadAt = now;
    }
    for (String task : tasks) {
      if (limited.contains(task)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Locks the limit rows of the limited tasks among {@code tasks}, in task order (no deadlock).
   * Claimers of a limited task queue here; each one's claim statement then sees the leases the
   * previous one committed.
   *
   * @return whether any of the tasks has a limit
   */
  private static boolean lockLimits(Connection c, List<String> tasks) throws SQLException {
    try (PreparedStatement lock =
        c.prepareStatement(
            "SELECT task FROM sluice_task_limits WHERE task = ANY(?) ORDER BY task FOR UPDATE")) {
      lock.setArray(1, c.createArrayOf("text", tasks.toArray()));
      try (ResultSet rows = lock.executeQuery()) {
        return rows.next();
      }
    }
  }

  private List<ExecutionRecord> claimDue(Connection c, ClaimRequest request, Claim mode)
      throws SQLException {
    // scalar subqueries, evaluated once, keep the ordered partial-index scans below usable
    String now = "(SELECT now FROM clock)";
    String liveLeases =
        "(SELECT COUNT(*) FROM "
            + TABLE
            + " r WHERE r.task = %s AND r.state = 'running' AND r.lease_expires_at > "
            + now
            + ")";
    String limitGuard =
        mode == Claim.LIMITED
            ? " AND NOT EXISTS (SELECT 1 FROM sluice_task_limits l WHERE l.task = e.task"
                + " AND l.max_concurrent <= "
                + liveLeases.formatted("e.task")
                + ")"
            : " AND NOT EXISTS (SELECT 1 FROM sluice_task_limits l WHERE l.task = e.task)";
    String eligible =
        " AND e.queue = ANY(?) AND e.task = ANY(?) AND (e.expires_at IS NULL OR e.expires_at > "
            + now
            + ") AND e.tags <@ ?::text[]"
            + limitGuard;
    String columns = "SELECT e.id, e.task, e.priority, e.scheduled_for, e.seq FROM " + TABLE + " e";
    // two scans, each on its own partial index: due pending rows, and running rows whose lease
    // lapsed (their worker is presumed dead); an OR of both would scan the whole table
    String candidates =
        ", pending AS ("
            + columns
            + " WHERE e.state = 'pending' AND e.scheduled_for <= "
            + now
            + eligible
            + " ORDER BY e.priority DESC, e.scheduled_for, e.seq LIMIT ?"
            + " FOR UPDATE OF e SKIP LOCKED)"
            + ", lapsed AS ("
            + columns
            + " WHERE e.state = 'running' AND e.lease_expires_at <= "
            + now
            + eligible
            + " ORDER BY e.lease_expires_at LIMIT ? FOR UPDATE OF e SKIP LOCKED)"
            + ", due AS (SELECT * FROM pending UNION ALL SELECT * FROM lapsed)";
    String chosen;
    if (mode == Claim.LIMITED) {
      chosen =
          ", ranked AS (SELECT d.*, row_number() OVER (PARTITION BY d.task"
              + " ORDER BY d.priority DESC, d.scheduled_for, d.seq) AS rank FROM due d)"
              + ", chosen AS (SELECT k.id FROM ranked k"
              + " LEFT JOIN sluice_task_limits l ON l.task = k.task"
              + " WHERE l.task IS NULL OR k.rank <= l.max_concurrent - "
              + liveLeases.formatted("k.task")
              + " ORDER BY k.priority DESC, k.scheduled_for, k.seq LIMIT ?)";
    } else {
      chosen =
          ", chosen AS (SELECT id FROM due ORDER BY priority DESC, scheduled_for, seq LIMIT ?)";
    }
    String sql =
        "WITH "
            + CLOCK
            + ", expired AS (UPDATE "
            + TABLE
            + " x SET state = 'expired', finished_at = clock.now, updated_at = clock.now,"
            + " error = 'maximum duration passed', worker_id = NULL, lease_expires_at = NULL"
            + " FROM clock WHERE x.state IN "
            + LIVE
            + " AND x.expires_at IS NOT NULL AND x.expires_at <= clock.now RETURNING x.id)"
            + candidates
            + chosen
            + " UPDATE "
            + TABLE
            + " x SET state = 'running', worker_id = ?, lease_expires_at = clock.now + ?,"
            + " lease_millis = ?, fence = x.fence + 1, started_at = clock.now,"
            + " updated_at = clock.now, awaiting = NULL FROM chosen, clock WHERE x.id = chosen.id"
            + " RETURNING x.*";
    try (PreparedStatement claim = c.prepareStatement(ORDERED_SCANS + sql)) {
      Array queues = c.createArrayOf("text", request.queues().toArray());
      Array tasks = c.createArrayOf("text", request.tasks().toArray());
      Array tags = c.createArrayOf("text", request.workerTags().toArray());
      int i = 1;
      bindNow(claim, i++, request.now());
      for (int scan = 0; scan < 2; scan++) {
        claim.setArray(i++, queues);
        claim.setArray(i++, tasks);
        claim.setArray(i++, tags);
        claim.setInt(i++, request.limit());
      }
      claim.setInt(i++, request.limit());
      claim.setString(i++, request.workerId());
      claim.setLong(i++, request.leaseMillis());
      claim.setLong(i, request.leaseMillis());
      claim.execute(); // first the planner settings' row, then the claimed rows
      if (!claim.getMoreResults()) {
        throw new SQLException("a claim returned no rows after its planner settings");
      }
      try (ResultSet rows = claim.getResultSet()) {
        List<ExecutionRecord> claimed = new ArrayList<>();
        while (rows.next()) {
          claimed.add(Rows.toRecord(rows, strings(rows.getArray("tags"))));
        }
        return claimed;
      }
    }
  }

  // ---- fenced writes ---------------------------------------------------------------------

  @Override
  public boolean heartbeat(Lease lease, long leaseExpiresAt) {
    return single(
        "heartbeat of " + lease,
        c -> {
          // with the database clock, the lease is renewed for its claimed length from now()
          try (PreparedStatement update =
              c.prepareStatement(
                  "WITH "
                      + CLOCK
                      + " UPDATE "
                      + TABLE
                      + " SET lease_expires_at = COALESCE(?::bigint, clock.now + lease_millis)"
                      + " FROM clock WHERE"
                      + FENCED)) {
            update.setNull(1, Types.BIGINT);
            if (clock == Clock.CALLER) {
              update.setLong(2, leaseExpiresAt);
            } else {
              update.setNull(2, Types.BIGINT);
            }
            setLease(update, 3, lease);
            return update.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean complete(Lease lease, String resultJson, long now) {
    Objects.requireNonNull(resultJson, "resultJson (the text null stands for a null result)");
    return single(
        "completion of " + lease,
        c -> {
          // one statement: the fenced completion, and the wake-up of a waiting parent
          try (PreparedStatement update =
              c.prepareStatement(
                  "WITH "
                      + CLOCK
                      + ", done AS (UPDATE "
                      + TABLE
                      + " SET state = 'completed', result = ?, error = NULL,"
                      + " finished_at = clock.now, updated_at = clock.now, "
                      + CLEAR_LEASE
                      + " FROM clock WHERE"
                      + FENCED
                      + " RETURNING "
                      + TABLE
                      + ".id, "
                      + TABLE
                      + ".parent_id)"
                      + ", woken AS (UPDATE "
                      + TABLE
                      + " p SET scheduled_for = LEAST(p.scheduled_for, clock.now) FROM done, clock"
                      + " WHERE p.id = done.parent_id AND p.state = 'pending' AND p.awaiting = ?"
                      + " RETURNING p.queue)"
                      + ", due AS (SELECT pg_notify('"
                      + DISPATCH_CHANNEL
                      + "', queue) FROM woken)"
                      + " SELECT (SELECT COUNT(*) FROM done), (SELECT COUNT(*) FROM due)")) {
            bindNow(update, 1, now);
            update.setString(2, resultJson);
            setLease(update, 3, lease);
            update.setString(5, Awaiting.child(lease.executionId()).stored());
            try (ResultSet rows = update.executeQuery()) {
              rows.next();
              if (rows.getLong(1) != 1) {
                return false;
              }
            }
            announceEnd(lease.executionId());
            return true;
          }
        });
  }

  /**
   * Completes many executions in one statement (group commit): each row is fenced by its own lease;
   * parents waiting for any of them are woken in the same statement.
   */
  @Override
  public List<Boolean> completeAll(List<Completion> completions) {
    if (completions.isEmpty()) {
      return List.of();
    }
    return single(
        "completion of " + completions.size() + " executions",
        c -> {
          int n = completions.size();
          String[] ids = new String[n];
          Long[] fences = new Long[n];
          String[] results = new String[n];
          Long[] times = new Long[n];
          for (int i = 0; i < n; i++) {
            Completion completion = completions.get(i);
            ids[i] = completion.lease().executionId().value();
            fences[i] = completion.lease().fence();
            results[i] = completion.resultJson();
            times[i] = clock == Clock.CALLER ? completion.now() : null;
          }
          Set<String> completed = new java.util.HashSet<>();
          try (PreparedStatement update =
              c.prepareStatement(
                  "WITH "
                      + CLOCK
                      + ", input AS (SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[],"
                      + " ?::bigint[]) AS i(id, fence, result, at))"
                      + ", done AS (UPDATE "
                      + TABLE
                      + " x SET state = 'completed', result = input.result, error = NULL,"
                      + " finished_at = COALESCE(input.at, clock.now),"
                      + " updated_at = COALESCE(input.at, clock.now), "
                      + CLEAR_LEASE
                      + " FROM input, clock WHERE x.id = input.id AND x.fence = input.fence"
                      + " AND x.state = 'running' RETURNING x.id, x.parent_id)"
                      + ", woken AS (UPDATE "
                      + TABLE
                      + " p SET scheduled_for = LEAST(p.scheduled_for, clock.now) FROM done, clock"
                      + " WHERE p.id = done.parent_id AND p.state = 'pending'"
                      + " AND p.awaiting = 'child:' || done.id RETURNING p.queue)"
                      + ", due AS (SELECT pg_notify('"
                      + DISPATCH_CHANNEL
                      + "', queue) FROM woken)"
                      + " SELECT done.id, (SELECT COUNT(*) FROM due) FROM done")) {
            bindNow(update, 1, completions.get(0).now());
            update.setArray(2, c.createArrayOf("text", ids));
            update.setArray(3, c.createArrayOf("bigint", fences));
            update.setArray(4, c.createArrayOf("text", results));
            update.setArray(5, c.createArrayOf("bigint", times));
            try (ResultSet rows = update.executeQuery()) {
              while (rows.next()) {
                completed.add(rows.getString(1));
              }
            }
          }
          List<Boolean> accepted = new ArrayList<>(n);
          for (String id : ids) {
            boolean done = completed.contains(id);
            accepted.add(done);
            if (done) {
              announceEnd(ExecutionId.of(id));
            }
          }
          return accepted;
        });
  }

  @Override
  public boolean retry(Lease lease, String error, long scheduledFor, long now) {
    return single(
        "retry of " + lease,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  dueNotifying(
                      "WITH "
                          + CLOCK
                          + " UPDATE "
                          + TABLE
                          + " SET state = 'pending', scheduled_for = clock.now + ?,"
                          + " attempt = attempt + 1, error = ?, started_at = NULL,"
                          + " updated_at = clock.now, "
                          + CLEAR_LEASE
                          + " FROM clock WHERE"
                          + FENCED
                          + " RETURNING queue"))) {
            bindNow(update, 1, now);
            update.setLong(2, delay(scheduledFor, now));
            update.setString(3, error);
            setLease(update, 4, lease);
            return notifyDue(c, update);
          }
        });
  }

  @Override
  public boolean fail(Lease lease, String error, long now) {
    return tx(
        "failure of " + lease,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "WITH "
                      + CLOCK
                      + " UPDATE "
                      + TABLE
                      + " SET state = 'failed', error = ?, finished_at = clock.now,"
                      + " updated_at = clock.now, "
                      + CLEAR_LEASE
                      + " FROM clock WHERE"
                      + FENCED)) {
            bindNow(update, 1, now);
            update.setString(2, error);
            setLease(update, 3, lease);
            if (update.executeUpdate() != 1) {
              return false;
            }
          }
          try (PreparedStatement letter =
              c.prepareStatement(
                  "INSERT INTO sluice_dead_letters (execution_id, task, queue, error, attempts,"
                      + " failed_at) SELECT id, task, queue, error, attempt, finished_at FROM "
                      + TABLE
                      + " WHERE id = ? ON CONFLICT (execution_id) DO UPDATE SET"
                      + " error = excluded.error, attempts = excluded.attempts,"
                      + " failed_at = excluded.failed_at")) {
            letter.setString(1, lease.executionId().value());
            letter.executeUpdate();
          }
          ended(c, lease.executionId(), now);
          return true;
        });
  }

  @Override
  public boolean suspend(Lease lease, long wakeAt, Awaiting awaiting, long now) {
    return single(
        "suspension of " + lease,
        c -> {
          String ready;
          if (awaiting == null) {
            ready = "FALSE";
          } else if (awaiting.kind() == Awaiting.Kind.SIGNAL) {
            ready =
                "EXISTS (SELECT 1 FROM sluice_signals s WHERE s.execution_id = "
                    + TABLE
                    + ".id AND s.name = ? AND s.consumed_at IS NULL)";
          } else {
            ready =
                "EXISTS (SELECT 1 FROM "
                    + TABLE
                    + " child WHERE child.id = ? AND child.state IN "
                    + TERMINAL
                    + ")";
          }
          try (PreparedStatement update =
              c.prepareStatement(
                  dueNotifying(
                      "WITH "
                          + CLOCK
                          + " UPDATE "
                          + TABLE
                          + " SET state = 'pending', scheduled_for = CASE WHEN "
                          + ready
                          + " THEN clock.now ELSE clock.now + ? END, awaiting = ?,"
                          + " started_at = NULL, updated_at = clock.now, "
                          + CLEAR_LEASE
                          + " FROM clock WHERE"
                          + FENCED
                          + " RETURNING queue"))) {
            int i = 1;
            bindNow(update, i++, now);
            if (awaiting != null) {
              update.setString(i++, awaiting.key());
            }
            update.setLong(i++, delay(wakeAt, now));
            update.setString(i++, awaiting == null ? null : awaiting.stored());
            setLease(update, i, lease);
            return notifyDue(c, update);
          }
        });
  }

  @Override
  public boolean release(Lease lease, long now) {
    return single(
        "release of " + lease,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  dueNotifying(
                      "WITH "
                          + CLOCK
                          + " UPDATE "
                          + TABLE
                          + " SET state = 'pending', scheduled_for = clock.now, started_at = NULL,"
                          + " updated_at = clock.now, "
                          + CLEAR_LEASE
                          + " FROM clock WHERE"
                          + FENCED
                          + " RETURNING queue"))) {
            bindNow(update, 1, now);
            setLease(update, 2, lease);
            return notifyDue(c, update);
          }
        });
  }

  /**
   * Turns {@code WITH clock AS (..) UPDATE .. RETURNING queue} into one statement that also
   * notifies the dispatch channel with the queue of the row it changed.
   */
  static String dueNotifying(String update) {
    String prefix = "WITH " + CLOCK + " ";
    if (!update.startsWith(prefix) || !update.endsWith(" RETURNING queue")) {
      throw new IllegalArgumentException("not a clocked update returning queue: " + update);
    }
    return prefix.substring(0, prefix.length() - 1)
        + ", changed AS ("
        + update.substring(prefix.length())
        + ") SELECT pg_notify('"
        + DISPATCH_CHANNEL
        + "', queue) FROM changed";
  }

  /** Runs a {@link #dueNotifying} statement: whether it changed (and announced) a row. */
  private static boolean notifyDue(Connection c, PreparedStatement update) throws SQLException {
    try (ResultSet rows = update.executeQuery()) {
      return rows.next();
    }
  }

  private void announceEnd(ExecutionId id) {
    if (announcer != null) {
      announcer.ended(id.value());
    }
  }

  /** After an execution ended: tell listeners, and make a parent waiting for it due. */
  private void ended(Connection c, ExecutionId child, long now) throws SQLException {
    announceEnd(child);
    try (PreparedStatement wake =
        c.prepareStatement(
            "WITH "
                + CLOCK
                + " UPDATE "
                + TABLE
                + " p SET scheduled_for = LEAST(p.scheduled_for, clock.now) FROM clock"
                + " WHERE p.id = (SELECT parent_id FROM "
                + TABLE
                + " WHERE id = ?) AND p.state = 'pending' AND p.awaiting = ? RETURNING p.queue")) {
      bindNow(wake, 1, now);
      wake.setString(2, child.value());
      wake.setString(3, Awaiting.child(child).stored());
      try (ResultSet rows = wake.executeQuery()) {
        if (rows.next()) {
          notify(c, DISPATCH_CHANNEL, rows.getString(1));
        }
      }
    }
  }

  // ---- steps and signals -----------------------------------------------------------------

  @Override
  public List<StepRecord> steps(ExecutionId executionId) {
    return single("steps of " + executionId, c -> Reports.steps(c, "sluice_steps", executionId));
  }

  @Override
  public boolean recordStep(Lease lease, StepRecord step) {
    Reports.checkStepLease(lease, step);
    return single(
        "checkpoint of step " + step.sequence() + " of " + lease, c -> upsert(c, lease, step));
  }

  private static boolean upsert(Connection c, Lease lease, StepRecord step) throws SQLException {
    // FOR UPDATE on the execution row: a reclaim cannot slip in between the fence check and the
    // write; a reclaim that committed first fails the re-checked fence and nothing is written
    try (PreparedStatement upsert =
        c.prepareStatement(
            "WITH held AS (SELECT id FROM "
                + TABLE
                + " WHERE"
                + FENCED
                + " FOR UPDATE) INSERT INTO sluice_steps (execution_id, seq, name, kind, status,"
                + " outcome, deadline, recorded_at) SELECT held.id, ?, ?, ?, ?, ?, ?, ? FROM held"
                + " ON CONFLICT (execution_id, seq) DO UPDATE SET name = excluded.name,"
                + " kind = excluded.kind, status = excluded.status, outcome = excluded.outcome,"
                + " deadline = excluded.deadline, recorded_at = excluded.recorded_at")) {
      setLease(upsert, 1, lease);
      upsert.setInt(3, step.sequence());
      upsert.setString(4, step.name());
      upsert.setString(5, step.kind().name());
      upsert.setString(6, step.status().name());
      upsert.setString(7, step.outcomeJson());
      if (step.deadline() == null) {
        upsert.setNull(8, Types.BIGINT);
      } else {
        upsert.setLong(8, step.deadline());
      }
      upsert.setLong(9, step.recordedAt());
      return upsert.executeUpdate() == 1;
    }
  }

  @Override
  public Optional<String> consumeSignal(
      Lease lease, String name, int sequence, String stepName, long now) {
    return tx(
        "signal " + name + " for " + lease,
        c ->
            Signals.consume(
                c,
                "sluice_signals",
                " FOR UPDATE",
                lease,
                name,
                sequence,
                stepName,
                now,
                PostgresExecutionStore::upsert));
  }

  @Override
  public boolean send(ExecutionId executionId, String name, String payloadJson, long now) {
    return tx(
        "signal " + name + " to " + executionId,
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "WITH "
                      + CLOCK
                      + " INSERT INTO sluice_signals (execution_id, name, payload, sent_at)"
                      + " SELECT id, ?, ?, clock.now FROM "
                      + TABLE
                      + ", clock WHERE id = ?")) {
            bindNow(insert, 1, now);
            insert.setString(2, name);
            insert.setString(3, payloadJson);
            insert.setString(4, executionId.value());
            if (insert.executeUpdate() != 1) {
              return false;
            }
          }
          try (PreparedStatement wake =
              c.prepareStatement(
                  dueNotifying(
                      "WITH "
                          + CLOCK
                          + " UPDATE "
                          + TABLE
                          + " SET scheduled_for = LEAST(scheduled_for, clock.now) FROM clock"
                          + " WHERE id = ? AND state = 'pending' AND awaiting = ? RETURNING queue"))) {
            bindNow(wake, 1, now);
            wake.setString(2, executionId.value());
            wake.setString(3, Awaiting.signal(name).stored());
            notifyDue(c, wake);
          }
          return true;
        });
  }

  // ---- cancel, queries, counts -----------------------------------------------------------

  @Override
  public boolean cancel(ExecutionId executionId, long now) {
    return tx(
        "cancel of " + executionId,
        c -> {
          // the execution, if it is live, and every live execution below it, however deep
          boolean cancelled = false;
          try (PreparedStatement update =
              c.prepareStatement(
                  "WITH RECURSIVE "
                      + CLOCK
                      + ", tree AS (SELECT id FROM "
                      + TABLE
                      + " WHERE id = ? AND state IN "
                      + LIVE
                      + " UNION ALL SELECT e.id FROM "
                      + TABLE
                      + " e JOIN tree ON e.parent_id = tree.id) UPDATE "
                      + TABLE
                      + " SET state = 'cancelled', finished_at = clock.now,"
                      + " updated_at = clock.now, "
                      + CLEAR_LEASE
                      + " FROM clock WHERE id IN (SELECT id FROM tree) AND state IN "
                      + LIVE
                      + " RETURNING id")) {
            bindNow(update, 1, now);
            update.setString(2, executionId.value());
            try (ResultSet rows = update.executeQuery()) {
              while (rows.next()) {
                ExecutionId id = ExecutionId.of(rows.getString(1));
                if (id.equals(executionId)) {
                  cancelled = true;
                } else {
                  announceEnd(id);
                }
              }
            }
          }
          if (cancelled) {
            ended(c, executionId, now); // announces it and wakes a parent waiting for it
          }
          return cancelled;
        });
  }

  @Override
  public Optional<ExecutionRecord> find(ExecutionId executionId) {
    return single(
        "lookup of " + executionId,
        c -> {
          try (PreparedStatement query =
              c.prepareStatement("SELECT * FROM " + TABLE + " WHERE id = ?")) {
            query.setString(1, executionId.value());
            try (ResultSet rows = query.executeQuery()) {
              return rows.next()
                  ? Optional.of(Rows.toRecord(rows, strings(rows.getArray("tags"))))
                  : Optional.<ExecutionRecord>empty();
            }
          }
        });
  }

  @Override
  public List<ExecutionRecord> list(ExecutionFilter filter) {
    return single(
        "listing",
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT * FROM "
                      + TABLE
                      + " WHERE (?::text IS NULL OR state = ?) AND (?::text IS NULL OR queue = ?)"
                      + " AND (?::text IS NULL OR task = ?)"
                      + " ORDER BY created_at DESC, seq DESC LIMIT ? OFFSET ?")) {
            String state = filter.state() == null ? null : filter.state().storedName();
            query.setString(1, state);
            query.setString(2, state);
            query.setString(3, filter.queue());
            query.setString(4, filter.queue());
            query.setString(5, filter.task());
            query.setString(6, filter.task());
            query.setInt(7, filter.limit());
            query.setInt(8, filter.offset());
            try (ResultSet rows = query.executeQuery()) {
              List<ExecutionRecord> page = new ArrayList<>();
              while (rows.next()) {
                page.add(Rows.toRecord(rows, strings(rows.getArray("tags"))));
              }
              return page;
            }
          }
        });
  }

  @Override
  public Map<ExecutionState, Long> countByState() {
    return single("count by state", c -> Reports.countByState(c, TABLE));
  }

  @Override
  public long countDeadLetters() {
    return single("dead-letter count", c -> Reports.countDeadLetters(c, "sluice_dead_letters"));
  }

  @Override
  public List<DeadLetter> deadLetters(int limit, int offset) {
    Reports.checkPage(limit, offset);
    return single(
        "dead-letter listing", c -> Reports.deadLetters(c, "sluice_dead_letters", limit, offset));
  }

  @Override
  public boolean replay(ExecutionId executionId, long now) {
    return tx(
        "replay of " + executionId,
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM sluice_dead_letters WHERE execution_id = ?")) {
            delete.setString(1, executionId.value());
            if (delete.executeUpdate() != 1) {
              return false;
            }
          }
          try (PreparedStatement update =
              c.prepareStatement(
                  dueNotifying(
                      "WITH "
                          + CLOCK
                          + " UPDATE "
                          + TABLE
                          + " SET state = 'pending', attempt = 1, scheduled_for = clock.now,"
                          + " error = NULL, finished_at = NULL, started_at = NULL,"
                          + " updated_at = clock.now, "
                          + CLEAR_LEASE
                          + " FROM clock WHERE id = ? AND state = 'failed' RETURNING queue"))) {
            bindNow(update, 1, now);
            update.setString(2, executionId.value());
            return notifyDue(c, update);
          }
        });
  }

  @Override
  public boolean discard(ExecutionId executionId) {
    return single(
        "discard of " + executionId,
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM sluice_dead_letters WHERE execution_id = ?")) {
            delete.setString(1, executionId.value());
            return delete.executeUpdate() == 1;
          }
        });
  }

  @Override
  public int purgeFinished(long finishedBefore, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("purge batch size must be >= 1, was " + batchSize);
    }
    return single(
        "purge",
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement(
                  "DELETE FROM "
                      + TABLE
                      + " WHERE id IN (SELECT id FROM "
                      + TABLE
                      + " WHERE state IN ('completed','cancelled','expired')"
                      + " AND finished_at < ? LIMIT ? FOR UPDATE SKIP LOCKED)")) {
            delete.setLong(1, finishedBefore);
            delete.setInt(2, batchSize);
            return delete.executeUpdate();
          }
        });
  }

  // ---- concurrency limits ----------------------------------------------------------------

  /**
   * Sets how many executions of a task may run at once across every worker and process of this
   * database. Takes effect with the next claim; executions already running are not stopped.
   *
   * @param task the task name
   * @param maxConcurrent at least 1
   * @throws IllegalArgumentException if {@code maxConcurrent} is below 1
   */
  public void setConcurrencyLimit(String task, int maxConcurrent) {
    Objects.requireNonNull(task, "task");
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException(
          "durable.max-concurrent of task " + task + " must be >= 1, was " + maxConcurrent);
    }
    single(
        "limit of " + task,
        c -> {
          try (PreparedStatement upsert =
              c.prepareStatement(
                  "INSERT INTO sluice_task_limits (task, max_concurrent) VALUES (?, ?)"
                      + " ON CONFLICT (task) DO UPDATE SET max_concurrent = excluded.max_concurrent")) {
            upsert.setString(1, task);
            upsert.setInt(2, maxConcurrent);
            return upsert.executeUpdate();
          }
        });
    limitedTasks = null;
  }

  /**
   * Removes a task's concurrency limit.
   *
   * @param task the task name
   * @return {@code true} if it had one
   */
  public boolean removeConcurrencyLimit(String task) {
    boolean removed =
        single(
            "limit removal of " + task,
            c -> {
              try (PreparedStatement delete =
                  c.prepareStatement("DELETE FROM sluice_task_limits WHERE task = ?")) {
                delete.setString(1, task);
                return delete.executeUpdate() == 1;
              }
            });
    limitedTasks = null;
    return removed;
  }

  /**
   * The concurrency limits in force, by task.
   *
   * @return task name to its limit
   */
  public Map<String, Integer> concurrencyLimits() {
    return single(
        "limits",
        c -> {
          Map<String, Integer> limits = new LinkedHashMap<>();
          try (Statement query = c.createStatement();
              ResultSet rows =
                  query.executeQuery(
                      "SELECT task, max_concurrent FROM sluice_task_limits ORDER BY task")) {
            while (rows.next()) {
              limits.put(rows.getString(1), rows.getInt(2));
            }
          }
          return limits;
        });
  }

  // ---- notifications, lifecycle ----------------------------------------------------------

  /**
   * Delivers this database's {@code sluice_dispatch} and {@code sluice_ended} notifications to a
   * listener, on a thread of the store's own listening connection (opened with the first listener,
   * re-opened after a failure). Notifications are a latency hint: one sent while the connection was
   * down is lost, so users keep polling as the fallback.
   *
   * @param listener the listener; keep it quick, it runs on the notification thread
   * @return a handle that stops the delivery to this listener when closed
   */
  public AutoCloseable listen(Listener listener) {
    return notifications.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Which clock this store compares due times and leases against.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      notifications.close();
      if (announcer != null) {
        announcer.close();
      }
      pool.close();
    }
  }

  @Override
  public String toString() {
    return "PostgresExecutionStore[" + url + ", clock " + clock + "]";
  }

  private static void setLease(PreparedStatement statement, int index, Lease lease)
      throws SQLException {
    statement.setString(index, lease.executionId().value());
    statement.setLong(index + 1, lease.fence());
  }

  static List<String> strings(Array array) throws SQLException {
    if (array == null) {
      return List.of();
    }
    Object[] values = (Object[]) array.getArray();
    List<String> strings = new ArrayList<>(values.length);
    for (Object value : values) {
      strings.add((String) value);
    }
    return strings;
  }

  /** Builds a {@link PostgresExecutionStore}. */
  public static final class Builder {
    private String url;
    private String user;
    private String password;
    private int poolSize = 10;
    private long connectionTimeoutMillis = 10_000;
    private Clock clock = Clock.DATABASE;
    private TimeSource time = TimeSource.system();
    private boolean announceEnds = true;
    private final Map<String, Integer> limits = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets the JDBC URL.
     *
     * @param jdbcUrl a {@code jdbc:postgresql://} URL
     * @return this builder
     * @throws IllegalArgumentException if it is not a PostgreSQL JDBC URL
     */
    public Builder url(String jdbcUrl) {
      Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException(
            "durable.postgres.url must start with jdbc:postgresql:, was " + jdbcUrl);
      }
      this.url = jdbcUrl;
      return this;
    }

    /**
     * Sets the user, when the URL does not carry it.
     *
     * @param user the database user
     * @return this builder
     */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /**
     * Sets the password, when the URL does not carry it.
     *
     * @param password the password
     * @return this builder
     */
    public Builder password(String password) {
      this.password = password;
      return this;
    }

    /**
     * Sets the most pooled connections (default 10); the notification listener uses one more.
     *
     * @param size at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code size} is below 1
     */
    public Builder poolSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("durable.postgres.pool-size must be >= 1, was " + size);
      }
      this.poolSize = size;
      return this;
    }

    /**
     * Sets how long to wait for a connection, also when opening (default 10 s).
     *
     * @param millis at least 250
     * @return this builder
     * @throws IllegalArgumentException if {@code millis} is below 250 (HikariCP's minimum)
     */
    public Builder connectionTimeout(long millis) {
      if (millis < 250) {
        throw new IllegalArgumentException(
            "durable.postgres.connection-timeout must be >= 250 ms, was " + millis);
      }
      this.connectionTimeoutMillis = millis;
      return this;
    }

    /**
     * Chooses the clock for due times, leases and expiry (default {@link Clock#DATABASE}).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the time source for what the store times itself: the age of its view of which tasks have
     * concurrency limits and the applied-at stamp of schema migrations (default {@link
     * TimeSource#system()}). Due times, leases and expiry follow {@link #clock(Clock)}.
     *
     * @param time the time source
     * @return this builder
     */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * Whether the ends of executions are announced on {@value #ENDED_CHANNEL} (default yes), so
     * {@code waitFor} in other processes wakes at once. They are sent in batches a few milliseconds
     * after their commits (a NOTIFY inside each completion would serialize all completions on
     * PostgreSQL's notification lock); a deployment that does not wait across processes can turn
     * them off and let waits poll. Dispatches are always announced.
     *
     * @param announce {@code false} to stop announcing ends
     * @return this builder
     */
    public Builder announceEnds(boolean announce) {
      this.announceEnds = announce;
      return this;
    }

    /**
     * Sets a task's global concurrency limit when the store opens (see {@link
     * PostgresExecutionStore#setConcurrencyLimit}).
     *
     * @param task the task name
     * @param maxConcurrent at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maxConcurrent} is below 1
     */
    public Builder concurrencyLimit(String task, int maxConcurrent) {
      Objects.requireNonNull(task, "task");
      if (maxConcurrent < 1) {
        throw new IllegalArgumentException(
            "durable.max-concurrent of task " + task + " must be >= 1, was " + maxConcurrent);
      }
      limits.put(task, maxConcurrent);
      return this;
    }

    /**
     * Connects, migrates the schema (serialized across processes by an advisory lock) and applies
     * the configured limits.
     *
     * @return the open store; close it when done
     * @throws IllegalStateException if no URL was set
     * @throws DurableException if the database cannot be reached or migrated
     */
    public PostgresExecutionStore open() {
      if (url == null) {
        throw new IllegalStateException("durable.postgres.url is required");
      }
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(url);
      if (user != null) {
        config.setUsername(user);
      }
      if (password != null) {
        config.setPassword(password);
      }
      config.setMaximumPoolSize(poolSize);
      config.setMinimumIdle(Math.min(2, poolSize));
      config.setAutoCommit(true);
      config.setPoolName("sluice-durable");
      config.setInitializationFailTimeout(-1);
      config.setConnectionTimeout(connectionTimeoutMillis);
      HikariDataSource pool = new HikariDataSource(config);
      try {
        try (Connection c = pool.getConnection()) {
          List<Integer> applied = PostgresSchema.migrate(c, time.now().toEpochMilli());
          if (!applied.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "migrated {0} to schema versions {1}", url, applied);
          }
        }
      } catch (SQLException | RuntimeException e) {
        pool.close();
        throw new DurableException("cannot open PostgreSQL store " + url + ": " + e, e);
      }
      PostgresExecutionStore store = new PostgresExecutionStore(pool, url, clock, this);
      try {
        limits.forEach(store::setConcurrencyLimit);
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
      return store;
    }
  }
}
