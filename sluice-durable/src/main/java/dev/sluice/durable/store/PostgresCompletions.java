package dev.sluice.durable.store;

import static dev.sluice.durable.store.Sql.CLEAR_LEASE;
import static dev.sluice.durable.store.Sql.COMPLETED;
import static dev.sluice.durable.store.Sql.EXECUTIONS;
import static dev.sluice.durable.store.Sql.FENCED;
import static dev.sluice.durable.store.Sql.PENDING;
import static dev.sluice.durable.store.Sql.RUNNING;

import dev.sluice.durable.ExecutionId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Completions in PostgreSQL: one statement each, and one for a whole group (group commit), which
 * complete the fenced rows and wake the parents waiting for them in data-modifying CTEs, where the
 * shared engine needs a statement for each.
 */
final class PostgresCompletions extends FencedWrites {
  private final PostgresDialect postgres;

  PostgresCompletions(Database db, PostgresDialect dialect) {
    super(db, dialect, new Ends(dialect));
    this.postgres = dialect;
  }

  /** Common to both: the parents woken by {@code done}, announced on the dispatch channel. */
  private static String wakeParents(String awaiting) {
    return ", woken AS (UPDATE "
        + EXECUTIONS
        + " p SET scheduled_for = LEAST(p.scheduled_for, clock.now) FROM done, clock"
        + " WHERE p.id = done.parent_id AND p.state = "
        + PENDING
        + " AND p.awaiting = "
        + awaiting
        + " RETURNING p.queue), due AS (SELECT pg_notify('"
        + PostgresExecutionStore.DISPATCH_CHANNEL
        + "', queue) FROM woken)";
  }

  @Override
  boolean complete(Lease lease, String resultJson, long now) {
    Objects.requireNonNull(resultJson, "resultJson (the text null stands for a null result)");
    return db.statement(
        "completion of " + lease,
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "WITH "
                      + PostgresDialect.CLOCK
                      + ", done AS (UPDATE "
                      + EXECUTIONS
                      + " SET state = "
                      + COMPLETED
                      + ", result = ?, error = NULL, finished_at = clock.now,"
                      + " updated_at = clock.now, "
                      + CLEAR_LEASE
                      + " FROM clock WHERE"
                      + FENCED
                      + " RETURNING "
                      + EXECUTIONS
                      + ".id, "
                      + EXECUTIONS
                      + ".parent_id)"
                      + wakeParents("?")
                      + " SELECT (SELECT COUNT(*) FROM done), (SELECT COUNT(*) FROM due)")) {
            dialect.bindNow(update, 1, now);
            update.setString(2, resultJson);
            setLease(update, 3, lease);
            update.setString(5, Awaiting.child(lease.executionId()).stored());
            try (ResultSet rows = update.executeQuery()) {
              rows.next();
              if (rows.getLong(1) != 1) {
                return false;
              }
            }
            dialect.ended(lease.executionId());
            return true;
          }
        });
  }

  @Override
  List<Boolean> completeAll(List<Completion> completions) {
    if (completions.isEmpty()) {
      return List.of();
    }
    return db.statement(
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
            times[i] = postgres.callerClock() ? completion.now() : null;
          }
          Set<String> completed = new HashSet<>();
          try (PreparedStatement update =
              c.prepareStatement(
                  "WITH "
                      + PostgresDialect.CLOCK
                      + ", input AS (SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[],"
                      + " ?::bigint[]) AS i(id, fence, result, at))"
                      + ", done AS (UPDATE "
                      + EXECUTIONS
                      + " x SET state = "
                      + COMPLETED
                      + ", result = input.result, error = NULL,"
                      + " finished_at = COALESCE(input.at, clock.now),"
                      + " updated_at = COALESCE(input.at, clock.now), "
                      + CLEAR_LEASE
                      + " FROM input, clock WHERE x.id = input.id AND x.fence = input.fence"
                      + " AND x.state = "
                      + RUNNING
                      + " RETURNING x.id, x.parent_id)"
                      + wakeParents("'child:' || done.id")
                      + " SELECT done.id, (SELECT COUNT(*) FROM due) FROM done")) {
            dialect.bindNow(update, 1, completions.get(0).now());
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
              dialect.ended(ExecutionId.of(id));
            }
          }
          return accepted;
        });
  }
}
