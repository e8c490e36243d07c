package dev.sluice.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.durable.store.PostgresExecutionStore;
import dev.sluice.testkit.PostgresDatabase;
import dev.sluice.testkit.PostgresServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LISTEN/NOTIFY between two engines on separate connections, as two processes would be: with polls
 * of 30 s, only a notification can make the worker start and the waiter return within seconds.
 */
class NotificationWakeupsIT {
  private static final Duration SLOW_POLL = Duration.ofSeconds(30);
  private PostgresDatabase database;
  private PostgresExecutionStore workerStore;
  private PostgresExecutionStore callerStore;

  @BeforeEach
  void open() {
    database = PostgresServer.shared().createDatabase();
    workerStore = open(database);
    callerStore = open(database);
  }

  @AfterEach
  void close() {
    callerStore.close();
    workerStore.close();
    database.close();
  }

  private static PostgresExecutionStore open(PostgresDatabase database) {
    return PostgresExecutionStore.builder()
        .url(database.jdbcUrl())
        .user(database.user())
        .password(database.password())
        .open();
  }

  @Test
  void aDispatchFromAnotherEngineWakesAnIdleWorkerAndItsEndWakesTheWaiter() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Durable workerSide = Durable.builder().store(workerStore).build();
    workerSide.register(
        Task.of(
            "echo",
            String.class,
            String.class,
            (ctx, input) -> {
              runs.incrementAndGet();
              return input + "!";
            }));
    Durable callerSide =
        Durable.builder().store(callerStore).waitPollInterval(SLOW_POLL, SLOW_POLL).build();
    Task<String, String> echo =
        callerSide.register(Task.of("echo", String.class, String.class, (ctx, in) -> in));

    try (AutoCloseable workerWakeups = NotificationWakeups.connect(workerSide, workerStore);
        AutoCloseable callerWakeups = NotificationWakeups.connect(callerSide, callerStore);
        Worker worker =
            workerSide
                .worker(
                    WorkerConfig.builder()
                        .workerId("listener")
                        .pollInterval(SLOW_POLL, SLOW_POLL)
                        .build())
                .start()) {
      // listeners connect asynchronously: a first round trip proves both are listening
      ExecutionId first = callerSide.dispatch(echo, "warm-up");
      await().atMost(Duration.ofSeconds(20)).until(() -> runs.get() == 1);
      assertThat(callerSide.waitFor(first, String.class, Duration.ofSeconds(20)))
          .isEqualTo("warm-up!");

      long start = System.nanoTime();
      ExecutionId id = callerSide.dispatch(echo, "ping");
      assertThat(callerSide.waitFor(id, String.class, Duration.ofSeconds(20))).isEqualTo("ping!");
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).isLessThan(Duration.ofSeconds(10));
      assertThat(runs).hasValue(2);
    }
  }
}
