package dev.sluice.durable.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Announces ends of executions on {@value PostgresExecutionStore#ENDED_CHANNEL}, several ids per
 * notification, a few milliseconds after they commit.
 *
 * <p>Why not in the completing transaction: a transaction that notifies takes PostgreSQL's global
 * notification lock at commit, so a NOTIFY per completion serializes every completion of every
 * worker. Batched here, completions commit freely and the announcement costs one statement per
 * batch. An announcement is a latency hint: one lost with its process is covered by polling.
 */
final class PostgresEndAnnouncer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PostgresEndAnnouncer.class.getName());

  /** How long ends gather before one notification carries them. */
  private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /** Below PostgreSQL's 8000-byte payload limit. */
  private static final int MAX_PAYLOAD = 7_000;

  /** Separates ids in a payload; the listener splits on it. */
  static final char SEPARATOR = '\n';

  private final DataSource pool;
  private final ConcurrentLinkedQueue<String> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean armed = new AtomicBoolean();
  private final Thread thread;
  private volatile boolean closed;

  PostgresEndAnnouncer(DataSource pool) {
    this.pool = pool;
    this.thread = Thread.ofPlatform().daemon().name("sluice-pg-announce").start(this::run);
  }

  void ended(String id) {
    pending.add(id);
    if (armed.compareAndSet(false, true)) {
      LockSupport.unpark(thread);
    }
  }

  private void run() {
    while (!closed) {
      LockSupport.park(this);
      if (closed) {
        break;
      }
      LockSupport.parkNanos(this, GATHER_NANOS);
      armed.set(false);
      flush();
    }
    flush();
  }

  private void flush() {
    if (pending.isEmpty()) {
      return;
    }
    try (Connection c = pool.getConnection();
        PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      StringBuilder payload = new StringBuilder();
      String id;
      while ((id = pending.poll()) != null) {
        if (payload.length() + id.length() + 1 > MAX_PAYLOAD && payload.length() > 0) {
          send(notify, payload);
          payload.setLength(0);
        }
        if (payload.length() > 0) {
          payload.append(SEPARATOR);
        }
        payload.append(id);
      }
      if (payload.length() > 0) {
        send(notify, payload);
      }
    } catch (SQLException | RuntimeException e) {
      if (!closed) {
        LOG.log(System.Logger.Level.WARNING, "could not announce ended executions: " + e);
      }
    }
  }

  private static void send(PreparedStatement notify, CharSequence payload) throws SQLException {
    notify.setString(1, PostgresExecutionStore.ENDED_CHANNEL);
    notify.setString(2, payload.toString());
    notify.execute();
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
