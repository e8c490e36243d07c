package dev.sluice.durable.store;

import dev.sluice.durable.ExecutionId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * What the shared statements of the JDBC engine leave to each database: the clock, a few functions
 * and locking clauses, how tags are kept, and how wake-ups and ends are announced. Claims, whose
 * locking differs most, are a {@link Claims} of each database's own.
 */
interface Dialect {

  /**
   * A common table expression {@code clock} of one row whose column {@code now} is the time every
   * statement compares against, in UTC epoch milliseconds; it takes one parameter, bound by {@link
   * #bindNow}. Later times are written as {@code clock.now + delay}.
   */
  String clock();

  /**
   * Binds the clock's parameter: the caller's time, or NULL where the database's own clock rules.
   */
  void bindNow(PreparedStatement statement, int index, long callerNow) throws SQLException;

  /** The scalar minimum of two values ({@code LEAST} or {@code MIN}). */
  String least();

  /** Follows a query of a row the transaction then writes, to lock it ("" if writers are one). */
  String lockRow();

  /** Follows a batch query of rows to delete, to skip rows others hold ("" if writers are one). */
  String skipLocked();

  /** The column that orders rows inserted at the same millisecond. */
  String insertionOrder();

  void bindTags(PreparedStatement statement, int index, List<String> tags) throws SQLException;

  List<String> tags(ResultSet rows) throws SQLException;

  /**
   * Turns {@code WITH clock AS (..) UPDATE .. RETURNING queue} into a statement that also announces
   * the queue of each row it made due, and still returns a row per changed row.
   */
  String notifyingDue(String clockedUpdateReturningQueue);

  /** Announces, inside the transaction, that something became due in a queue. */
  void due(Connection connection, String queue) throws SQLException;

  /** Announces that an execution ended; called once its transaction is sure to commit. */
  void ended(ExecutionId id);
}
