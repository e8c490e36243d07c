package dev.sluice.durable.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Statements run on one connection inside whatever transaction a {@link Database} opened. */
@FunctionalInterface
interface SqlWork<T> {
  T run(Connection connection) throws SQLException;
}
