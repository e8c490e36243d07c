package dev.sluice.durable.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps the prepared statements of one connection, by SQL text, so each statement is parsed and
 * planned once instead of on every call (sqlite-jdbc caches nothing itself). The connection it
 * hands out prepares through the cache; closing a statement from it clears its parameters and batch
 * and keeps it for the next use. Not thread-safe: its one connection is used under a lock.
 */
final class StatementCache {
  private static final int MAX_STATEMENTS = 64;

  private final Connection connection;
  private final Connection view;
  private final Map<String, PreparedStatement> statements =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
          if (size() <= MAX_STATEMENTS) {
            return false;
          }
          closeQuietly(eldest.getValue());
          return true;
        }
      };

  StatementCache(Connection connection) {
    this.connection = connection;
    this.view =
        (Connection)
            Proxy.newProxyInstance(
                Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                new ConnectionView());
  }

  /** The connection whose {@code prepareStatement(sql)} goes through the cache. */
  Connection connection() {
    return view;
  }

  /** Closes every kept statement; the connection stays open. */
  void clear() {
    statements.values().forEach(StatementCache::closeQuietly);
    statements.clear();
  }

  private PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement statement = statements.get(sql);
    if (statement == null || statement.isClosed()) {
      statement = connection.prepareStatement(sql);
      statements.put(sql, statement);
    }
    return (PreparedStatement)
        Proxy.newProxyInstance(
            PreparedStatement.class.getClassLoader(),
            new Class<?>[] {PreparedStatement.class},
            new KeptStatement(statement));
  }

  private static void closeQuietly(PreparedStatement statement) {
    try {
      statement.close();
    } catch (SQLException ignored) {
      // a statement that cannot close leaves with its connection
    }
  }

  private static Object forward(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private final class ConnectionView implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getName().equals("prepareStatement")
          && args != null
          && args.length == 1
          && args[0] instanceof String sql) {
        return prepare(sql);
      }
      return forward(connection, method, args);
    }
  }

  private final class KeptStatement implements InvocationHandler {
    private final PreparedStatement statement;

    KeptStatement(PreparedStatement statement) {
      this.statement = statement;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "close" -> {
          statement.clearBatch();
          statement.clearParameters();
          return null;
        }
        case "getConnection" -> {
          return view;
        }
        default -> {
          return forward(statement, method, args);
        }
      }
    }
  }
}
