package dev.sluice.durable.store;

import dev.sluice.durable.ExecutionId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The store's one listening connection: {@code LISTEN}s on the dispatch and ended channels and
 * hands each notification to the registered listeners. Started by the first listener; reconnects
 * after a failure (notifications sent meanwhile are lost, which polling covers).
 */
final class PostgresNotifications implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PostgresNotifications.class.getName());
  private static final int POLL_MILLIS = 250;
  private static final long RECONNECT_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final String url;
  private final String user;
  private final String password;
  private final List<PostgresExecutionStore.Listener> listeners = new CopyOnWriteArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicReference<Connection> connection = new AtomicReference<>();
  private volatile boolean closed;
  private Thread thread;

  PostgresNotifications(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  AutoCloseable add(PostgresExecutionStore.Listener listener) {
    listeners.add(listener);
    lock.lock();
    try {
      if (thread == null && !closed) {
        thread = Thread.ofPlatform().daemon().name("sluice-pg-listen").start(this::run);
      }
    } finally {
      lock.unlock();
    }
    return () -> listeners.remove(listener);
  }

  private void run() {
    while (!closed) {
      try (Connection c = connect()) {
        connection.set(c);
        try (Statement statement = c.createStatement()) {
          statement.execute("LISTEN " + PostgresExecutionStore.DISPATCH_CHANNEL);
          statement.execute("LISTEN " + PostgresExecutionStore.ENDED_CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] received = pg.getNotifications(POLL_MILLIS);
          if (received != null) {
            for (PGNotification notification : received) {
              deliver(notification);
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!closed) {
          LOG.log(
              System.Logger.Level.WARNING,
              "PostgreSQL notifications from " + url + " interrupted; reconnecting: " + e);
          LockSupport.parkNanos(RECONNECT_NANOS);
        }
      } finally {
        connection.set(null);
      }
    }
  }

  private Connection connect() throws SQLException {
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    return DriverManager.getConnection(url, properties);
  }

  private void deliver(PGNotification notification) {
    for (PostgresExecutionStore.Listener listener : listeners) {
      try {
        if (PostgresExecutionStore.ENDED_CHANNEL.equals(notification.getName())) {
          for (String id : notification.getParameter().split("\n")) {
            if (!id.isBlank()) {
              listener.ended(ExecutionId.of(id));
            }
          }
        } else {
          listener.dispatched(notification.getParameter());
        }
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "notification listener failed", e);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    Connection c = connection.get();
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
    Thread running;
    lock.lock();
    try {
      running = thread;
    } finally {
      lock.unlock();
    }
    if (running != null) {
      try {
        running.join(TimeUnit.SECONDS.toMillis(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
