package dev.sluice.durable.store;

import static dev.sluice.durable.store.Sql.EXECUTIONS;
import static dev.sluice.durable.store.Sql.FENCED;
import static dev.sluice.durable.store.Sql.PENDING;
import static dev.sluice.durable.store.Sql.SIGNALS;
import static dev.sluice.durable.store.Sql.STEPS;

import dev.sluice.durable.ExecutionId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Checkpoints of steps, and signals: sent, buffered, and taken as a checkpointed step. */
final class StepsAndSignals {
  private final Database db;
  private final Dialect dialect;

  StepsAndSignals(Database db, Dialect dialect) {
    this.db = db;
    this.dialect = dialect;
  }

  List<StepRecord> steps(ExecutionId executionId) {
    return db.read(
        "steps of " + executionId,
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT seq, name, kind, status, outcome, deadline, recorded_at FROM "
                      + STEPS
                      + " WHERE execution_id = ? ORDER BY seq")) {
            query.setString(1, executionId.value());
            try (ResultSet rows = query.executeQuery()) {
              List<StepRecord> page = new ArrayList<>();
              while (rows.next()) {
                page.add(Rows.toStep(executionId, rows));
              }
              return page;
            }
          }
        });
  }

  boolean recordStep(Lease lease, StepRecord step) {
    if (!step.executionId().equals(lease.executionId())) {
      throw new IllegalArgumentException(
          "step of " + step.executionId() + " recorded under the lease of " + lease);
    }
    return db.statement(
        "checkpoint of step " + step.sequence() + " of " + lease, c -> upsert(c, lease, step));
  }

  private boolean upsert(Connection c, Lease lease, StepRecord step) throws SQLException {
    // the execution row is locked: a reclaim cannot slip in between the fence check and the
    // write; a reclaim that committed first fails the re-checked fence and nothing is written.
    // "WHERE TRUE" keeps SQLite from reading ON CONFLICT as a join constraint
    try (PreparedStatement upsert =
        c.prepareStatement(
            "WITH held AS (SELECT id FROM "
                + EXECUTIONS
                + " WHERE"
                + FENCED
                + dialect.lockRow()
                + ") INSERT INTO "
                + STEPS
                + " (execution_id, seq, name, kind, status, outcome, deadline, recorded_at)"
                + " SELECT held.id, ?, ?, ?, ?, ?, ?, ? FROM held WHERE TRUE"
                + " ON CONFLICT (execution_id, seq) DO UPDATE SET name = excluded.name,"
                + " kind = excluded.kind, status = excluded.status, outcome = excluded.outcome,"
                + " deadline = excluded.deadline, recorded_at = excluded.recorded_at")) {
      FencedWrites.setLease(upsert, 1, lease);
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

  /**
   * Takes the oldest unconsumed signal {@code name} of the lease's execution, records it as step
   * {@code sequence} and marks it consumed by that step, in one transaction.
   */
  Optional<String> consumeSignal(
      Lease lease, String name, int sequence, String stepName, long now) {
    return db.transaction(
        "signal " + name + " for " + lease,
        c -> {
          long signalId;
          String payload;
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT id, payload FROM "
                      + SIGNALS
                      + " WHERE execution_id = ? AND name = ? AND consumed_at IS NULL"
                      + " ORDER BY id LIMIT 1"
                      + dialect.lockRow())) {
            query.setString(1, lease.executionId().value());
            query.setString(2, name);
            try (ResultSet rows = query.executeQuery()) {
              if (!rows.next()) {
                return Optional.<String>empty();
              }
              signalId = rows.getLong(1);
              payload = rows.getString(2);
            }
          }
          StepRecord step =
              new StepRecord(
                  lease.executionId(),
                  sequence,
                  stepName,
                  StepKind.SIGNAL,
                  StepStatus.DONE,
                  payload,
                  null,
                  now);
          if (!upsert(c, lease, step)) {
            return Optional.<String>empty();
          }
          try (PreparedStatement consume =
              c.prepareStatement(
                  "UPDATE " + SIGNALS + " SET consumed_at = ?, consumed_by_seq = ? WHERE id = ?")) {
            consume.setLong(1, now);
            consume.setInt(2, sequence);
            consume.setLong(3, signalId);
            consume.executeUpdate();
          }
          return Optional.of(payload);
        });
  }

  boolean send(ExecutionId executionId, String name, String payloadJson, long now) {
    return db.transaction(
        "signal " + name + " to " + executionId,
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "WITH "
                      + dialect.clock()
                      + " INSERT INTO "
                      + SIGNALS
                      + " (execution_id, name, payload, sent_at) SELECT id, ?, ?, clock.now FROM "
                      + EXECUTIONS
                      + ", clock WHERE id = ?")) {
            dialect.bindNow(insert, 1, now);
            insert.setString(2, name);
            insert.setString(3, payloadJson);
            insert.setString(4, executionId.value());
            if (insert.executeUpdate() != 1) {
              return false;
            }
          }
          try (PreparedStatement wake =
              c.prepareStatement(
                  dialect.notifyingDue(
                      "WITH "
                          + dialect.clock()
                          + " UPDATE "
                          + EXECUTIONS
                          + " SET scheduled_for = "
                          + dialect.least()
                          + "(scheduled_for, clock.now) FROM clock WHERE id = ? AND state = "
                          + PENDING
                          + " AND awaiting = ? RETURNING queue"))) {
            dialect.bindNow(wake, 1, now);
            wake.setString(2, executionId.value());
            wake.setString(3, Awaiting.signal(name).stored());
            FencedWrites.changed(wake);
          }
          return true;
        });
  }
}
