package dev.sluice.durable.store;

/**
 * How a store reaches its database: which connection runs a piece of work and in which kind of
 * transaction. A failure comes back as a {@link dev.sluice.durable.DurableException} naming the
 * store and the work, after the transaction was rolled back.
 */
interface Database extends AutoCloseable {

  /** Runs several statements in one transaction. */
  <T> T transaction(String what, SqlWork<T> work);

  /** Runs one writing statement, which is its own transaction where the database allows it. */
  <T> T statement(String what, SqlWork<T> work);

  /** Runs a query; it sees committed data and writes nothing. */
  <T> T read(String what, SqlWork<T> work);

  /** Releases the connections. Idempotent. */
  @Override
  void close();
}
