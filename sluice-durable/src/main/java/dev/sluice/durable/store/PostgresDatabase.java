package dev.sluice.durable.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.durable.DurableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A HikariCP pool: work of several statements gets one transaction on a pooled connection; a single
 * statement runs in auto-commit mode, one round trip with no separate commit.
 */
final class PostgresDatabase implements Database {
  private final HikariDataSource pool;
  private final String url;
  private final AtomicBoolean closed = new AtomicBoolean();

  PostgresDatabase(HikariDataSource pool, String url) {
    this.pool = pool;
    this.url = url;
  }

  HikariDataSource pool() {
    return pool;
  }

  @Override
  public <T> T transaction(String what, SqlWork<T> work) {
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
      throw failed(what, e);
    }
  }

  @Override
  public <T> T statement(String what, SqlWork<T> work) {
    ensureOpen();
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw failed(what, e);
    }
  }

  @Override
  public <T> T read(String what, SqlWork<T> work) {
    return statement(what, work);
  }

  private DurableException failed(String what, SQLException e) {
    return new DurableException("PostgreSQL store " + url + ": " + what + " failed: " + e, e);
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new DurableException("PostgreSQL store " + url + " is closed");
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      pool.close();
    }
  }
}
