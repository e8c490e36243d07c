package dev.sluice.bench.durable;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.durable.Durable;
import dev.sluice.durable.ExecutionState;
import dev.sluice.durable.NotificationWakeups;
import dev.sluice.durable.Task;
import dev.sluice.durable.Worker;
import dev.sluice.durable.WorkerConfig;
import dev.sluice.durable.store.PostgresExecutionStore;
import dev.sluice.testkit.PostgresDatabase;
import dev.sluice.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable execution on PostgreSQL, Sluice and db-scheduler side by side on the same server in one
 * run.
 *
 * <ul>
 *   <li><b>Throughput</b>: executions per second of a no-op task, from the first dispatch until the
 *       database holds every one as done, with 1 and with 4 workers (each its own pool, as separate
 *       processes would have). db-scheduler runs lock-and-fetch polling.
 *   <li><b>Latency</b>: dispatch-to-start of a single execution dispatched by another engine (so no
 *       in-process wake-up helps), p50 and p99, with and without LISTEN/NOTIFY.
 * </ul>
 *
 * <p>Run: {@code flock /work/bench.lock java -cp sluice-bench/target/benchmarks.jar
 * dev.sluice.bench.durable.PostgresDurableBenchmark [executions] [latency-samples] [rounds]}. Uses
 * SLUICE_TEST_PG_URL if set, else an embedded PostgreSQL.
 */
public final class PostgresDurableBenchmark {
  private static final int SLOTS_PER_WORKER = 16;
  private static final int POOL_PER_WORKER = 8;
  private static final Duration POLL = Duration.ofMillis(50);

  private PostgresDurableBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    int executions = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    PostgresServer server = PostgresServer.shared();
    System.out.printf(
        Locale.ROOT,
        "PostgreSQL %s; %d executions per throughput run, %d rounds, %d latency samples%n",
        server.isEmbedded() ? "embedded" : "external",
        executions,
        rounds,
        samples);

    // warm-up: JIT and server caches for both libraries
    for (int workers : new int[] {1, 4}) {
      sluiceThroughput(server, workers, executions, true);
      sluiceThroughput(server, workers, executions, false);
      dbSchedulerThroughput(server, workers, executions);
    }

    for (int workers : new int[] {1, 4}) {
      double[] sluice = new double[rounds];
      double[] quiet = new double[rounds];
      double[] dbScheduler = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        // the order rotates from round to round, so no library always runs first
        for (int turn = 0; turn < 3; turn++) {
          switch ((round + turn) % 3) {
            case 0 -> sluice[round] = sluiceThroughput(server, workers, executions, true);
            case 1 -> quiet[round] = sluiceThroughput(server, workers, executions, false);
            default -> dbScheduler[round] = dbSchedulerThroughput(server, workers, executions);
          }
        }
        System.out.printf(
            Locale.ROOT,
            "  round %d, %d worker(s): sluice %.0f/s (ends not announced %.0f/s),"
                + " db-scheduler %.0f/s%n",
            round + 1,
            workers,
            sluice[round],
            quiet[round],
            dbScheduler[round]);
      }
      double s = median(sluice);
      double q = median(quiet);
      double d = median(dbScheduler);
      System.out.printf(
          Locale.ROOT,
          "throughput %d worker(s), median of %d rounds: sluice %.0f/s (ends not announced:"
              + " %.0f/s), db-scheduler %.0f/s, ratio %.2f (%.2f)%n",
          workers,
          rounds,
          s,
          q,
          d,
          s / d,
          q / d);
    }
    for (boolean notify : new boolean[] {true, false}) {
      long[] micros = sluiceLatency(server, notify, samples);
      System.out.printf(
          Locale.ROOT,
          "dispatch-to-start %s LISTEN/NOTIFY: p50 %.1f ms, p99 %.1f ms%n",
          notify ? "with" : "without",
          percentile(micros, 50) / 1000.0,
          percentile(micros, 99) / 1000.0);
    }
  }

  // ---- Sluice --------------------------------------------------------------------------------

  private static PostgresExecutionStore store(PostgresDatabase database, int pool) {
    return store(database, pool, true);
  }

  private static PostgresExecutionStore store(
      PostgresDatabase database, int pool, boolean announceEnds) {
    return PostgresExecutionStore.builder()
        .url(database.jdbcUrl())
        .user(database.user())
        .password(database.password())
        .poolSize(pool)
        .announceEnds(announceEnds)
        .open();
  }

  private static double sluiceThroughput(
      PostgresServer server, int workerCount, int executions, boolean announceEnds)
      throws Exception {
    try (PostgresDatabase database = server.createDatabase()) {
      CountDownLatch ran = new CountDownLatch(executions);
      List<AutoCloseable> resources = new ArrayList<>();
      List<Worker> workers = new ArrayList<>();
      for (int w = 0; w < workerCount; w++) {
        PostgresExecutionStore store = store(database, POOL_PER_WORKER, announceEnds);
        Durable engine = Durable.builder().store(store).build();
        engine.register(
            Task.of(
                "noop",
                Integer.class,
                Integer.class,
                (ctx, input) -> {
                  ran.countDown();
                  return input;
                }));
        resources.add(store);
        resources.add(NotificationWakeups.connect(engine, store));
        workers.add(
            engine
                .worker(
                    WorkerConfig.builder()
                        .workerId("sluice-" + w)
                        .concurrency(SLOTS_PER_WORKER)
                        .pollInterval(POLL, Duration.ofMillis(500))
                        .build())
                .start());
      }
      try (PostgresExecutionStore producerStore = store(database, 2)) {
        Durable producer = Durable.builder().store(producerStore).build();
        Task<Integer, Integer> noop =
            producer.register(Task.of("noop", Integer.class, Integer.class, (c, i) -> i));
        long start = System.nanoTime();
        for (int from = 0; from < executions; from += 500) {
          List<Integer> batch = new ArrayList<>();
          for (int i = from; i < Math.min(executions, from + 500); i++) {
            batch.add(i);
          }
          producer.map(noop, batch);
        }
        ran.await(5, TimeUnit.MINUTES);
        while (producerStore.countByState().get(ExecutionState.COMPLETED) < executions) {
          Thread.sleep(2);
        }
        long elapsed = System.nanoTime() - start;
        return executions / (elapsed / 1e9);
      } finally {
        for (Worker worker : workers) {
          worker.close();
        }
        for (AutoCloseable resource : resources.reversed()) {
          resource.close();
        }
      }
    }
  }

  private static long[] sluiceLatency(PostgresServer server, boolean notify, int samples)
      throws Exception {
    try (PostgresDatabase database = server.createDatabase();
        PostgresExecutionStore workerStore = store(database, POOL_PER_WORKER);
        PostgresExecutionStore producerStore = store(database, 2)) {
      AtomicLong dispatchedAt = new AtomicLong();
      long[] micros = new long[samples];
      CountDownLatch[] started = new CountDownLatch[1];
      Durable engine = Durable.builder().store(workerStore).build();
      engine.register(
          Task.of(
              "probe",
              Integer.class,
              Integer.class,
              (ctx, input) -> {
                micros[input] = (System.nanoTime() - dispatchedAt.get()) / 1_000;
                started[0].countDown();
                return input;
              }));
      AutoCloseable wakeups = notify ? NotificationWakeups.connect(engine, workerStore) : () -> {};
      // the worker's default idle polling: 50 ms doubling up to 2 s
      try (Worker worker =
          engine.worker(WorkerConfig.builder().workerId("latency").build()).start()) {
        Durable producer = Durable.builder().store(producerStore).build();
        Task<Integer, Integer> probe =
            producer.register(Task.of("probe", Integer.class, Integer.class, (c, i) -> i));
        Thread.sleep(500); // the listener connects
        for (int i = 0; i < samples; i++) {
          started[0] = new CountDownLatch(1);
          dispatchedAt.set(System.nanoTime());
          producer.dispatch(probe, i);
          if (!started[0].await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("probe " + i + " never started");
          }
          Thread.sleep(ThreadLocalRandom.current().nextLong(20, 300)); // idle gap between arrivals
        }
      } finally {
        wakeups.close();
      }
      return micros;
    }
  }

  // ---- db-scheduler ----------------------------------------------------------------------------

  private static final String DB_SCHEDULER_TABLE =
      """
      CREATE TABLE scheduled_tasks (
        task_name TEXT NOT NULL,
        task_instance TEXT NOT NULL,
        task_data BYTEA,
        execution_time TIMESTAMP WITH TIME ZONE NOT NULL,
        picked BOOLEAN NOT NULL,
        picked_by TEXT,
        last_success TIMESTAMP WITH TIME ZONE,
        last_failure TIMESTAMP WITH TIME ZONE,
        consecutive_failures INT,
        last_heartbeat TIMESTAMP WITH TIME ZONE,
        version BIGINT NOT NULL,
        priority SMALLINT,
        PRIMARY KEY (task_name, task_instance)
      );
      CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
      CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
      CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time);
      """;

  private static HikariDataSource pool(PostgresDatabase database, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(database.jdbcUrl());
    if (database.user() != null) {
      config.setUsername(database.user());
      config.setPassword(database.password());
    }
    config.setMaximumPoolSize(size);
    return new HikariDataSource(config);
  }

  private static double dbSchedulerThroughput(
      PostgresServer server, int workerCount, int executions) throws Exception {
    try (PostgresDatabase database = server.createDatabase()) {
      try (Connection c = database.connect();
          Statement s = c.createStatement()) {
        s.execute(DB_SCHEDULER_TABLE);
      }
      CountDownLatch ran = new CountDownLatch(executions);
      OneTimeTask<Void> noop = Tasks.oneTime("noop").execute((instance, ctx) -> ran.countDown());
      List<HikariDataSource> pools = new ArrayList<>();
      List<Scheduler> schedulers = new ArrayList<>();
      try {
        for (int w = 0; w < workerCount; w++) {
          HikariDataSource pool = pool(database, POOL_PER_WORKER);
          pools.add(pool);
          Scheduler scheduler =
              Scheduler.create(pool, noop)
                  .threads(SLOTS_PER_WORKER)
                  .pollingInterval(POLL)
                  .pollUsingLockAndFetch(0.5, 1.0)
                  .build();
          scheduler.start();
          schedulers.add(scheduler);
        }
        HikariDataSource producerPool = pool(database, 2);
        pools.add(producerPool);
        Scheduler producer = Scheduler.create(producerPool, noop).threads(1).build();
        long start = System.nanoTime();
        for (int from = 0; from < executions; from += 500) {
          List<TaskInstance<?>> batch = new ArrayList<>();
          for (int i = from; i < Math.min(executions, from + 500); i++) {
            batch.add(noop.instance("i" + i));
          }
          producer.scheduleBatch(batch, Instant.now());
        }
        ran.await(5, TimeUnit.MINUTES);
        while (remaining(producerPool) > 0) {
          Thread.sleep(2);
        }
        long elapsed = System.nanoTime() - start;
        return executions / (elapsed / 1e9);
      } finally {
        for (Scheduler scheduler : schedulers) {
          scheduler.stop();
        }
        pools.forEach(HikariDataSource::close);
      }
    }
  }

  private static long remaining(HikariDataSource pool) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT COUNT(*) FROM scheduled_tasks")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double percentile(long[] values, int percent) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
