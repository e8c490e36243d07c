package dev.sluice.durable.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.ConfigException;
import dev.sluice.durable.DurableException;
import dev.sluice.durable.ExecutionId;
import dev.sluice.time.TimeSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

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
public final class PostgresExecutionStore extends JdbcExecutionStore {
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

  private final String url;
  private final PostgresExecutionStore.Clock clock;
  private final PostgresLimits limits;
  private final @Nullable PostgresEndAnnouncer announcer;
  private final PostgresNotifications notifications;

  private PostgresExecutionStore(
      PostgresDatabase db,
      PostgresDialect dialect,
      PostgresLimits limits,
      @Nullable PostgresEndAnnouncer announcer,
      String url,
      Builder builder) {
    super(
        db, dialect, new PostgresClaims(db, dialect, limits), new PostgresCompletions(db, dialect));
    this.url = url;
    this.clock = builder.clock;
    this.limits = limits;
    this.announcer = announcer;
    this.notifications = new PostgresNotifications(url, builder.user, builder.password);
  }

  /**
   * Opens a store on a JDBC URL that carries any credentials ({@code ?user=..&password=..}), with
   * the database clock and a pool of 10 connections, and migrates the schema.
   *
   * @param jdbcUrl a {@code jdbc:postgresql://} URL
   * @return the open store; close it when done
   * @throws ConfigException if the URL is not a PostgreSQL JDBC URL
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

  // ---- concurrency limits ----------------------------------------------------------------

  /**
   * Sets how many executions of a task may run at once across every worker and process of this
   * database. Takes effect with the next claim; executions already running are not stopped.
   *
   * @param task the task name
   * @param maxConcurrent at least 1
   * @throws ConfigException if {@code maxConcurrent} is below 1
   */
  public void setConcurrencyLimit(String task, int maxConcurrent) {
    limits.set(task, maxConcurrent);
  }

  /**
   * Removes a task's concurrency limit.
   *
   * @param task the task name
   * @return {@code true} if it had one
   */
  public boolean removeConcurrencyLimit(String task) {
    return limits.remove(task);
  }

  /**
   * The concurrency limits in force, by task.
   *
   * @return task name to its limit
   */
  public Map<String, Integer> concurrencyLimits() {
    return limits.all();
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
    notifications.close();
    if (announcer != null) {
      announcer.close();
    }
    super.close();
  }

  @Override
  public String toString() {
    return "PostgresExecutionStore[" + url + ", clock " + clock + "]";
  }

  /** Builds a {@link PostgresExecutionStore}. */
  public static final class Builder {
    private @Nullable String url;
    private @Nullable String user;
    private @Nullable String password;
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
     * @throws ConfigException if it is not a PostgreSQL JDBC URL
     */
    public Builder url(String jdbcUrl) {
      Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
        throw new ConfigException(
            "durable.postgres.url", "must start with jdbc:postgresql:", jdbcUrl);
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
     * @throws ConfigException if {@code size} is below 1
     */
    public Builder poolSize(int size) {
      if (size < 1) {
        throw new ConfigException("durable.postgres.pool-size", "must be >= 1", size);
      }
      this.poolSize = size;
      return this;
    }

    /**
     * Sets how long to wait for a connection, also when opening (default 10 s).
     *
     * @param millis at least 250
     * @return this builder
     * @throws ConfigException if {@code millis} is below 250 (HikariCP's minimum)
     */
    public Builder connectionTimeout(long millis) {
      if (millis < 250) {
        throw new ConfigException(
            "durable.postgres.connection-timeout", "must be >= 250 ms", millis);
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
     * @throws ConfigException if {@code maxConcurrent} is below 1
     */
    public Builder concurrencyLimit(String task, int maxConcurrent) {
      PostgresLimits.check(task, maxConcurrent);
      limits.put(task, maxConcurrent);
      return this;
    }

    /**
     * Connects, migrates the schema (serialized across processes by an advisory lock) and applies
     * the configured limits.
     *
     * @return the open store; close it when done
     * @throws ConfigException if no URL was set
     * @throws DurableException if the database cannot be reached or migrated
     */
    public PostgresExecutionStore open() {
      if (url == null) {
        throw new ConfigException("durable.postgres.url", "is required", null);
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
      PostgresDatabase db = new PostgresDatabase(pool, url);
      PostgresEndAnnouncer announcer = announceEnds ? new PostgresEndAnnouncer(pool) : null;
      PostgresExecutionStore store =
          new PostgresExecutionStore(
              db,
              new PostgresDialect(clock, announcer),
              new PostgresLimits(db, time),
              announcer,
              url,
              this);
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
