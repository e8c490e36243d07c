package dev.sluice.durable.crash;

import dev.sluice.durable.Durable;
import dev.sluice.durable.NotificationWakeups;
import dev.sluice.durable.Task;
import dev.sluice.durable.WorkerConfig;
import dev.sluice.durable.store.ExecutionStore;
import dev.sluice.durable.store.PostgresExecutionStore;
import dev.sluice.durable.store.SqliteExecutionStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A worker process for the crash tests: runs until it is killed, and appends what its handlers do
 * to a shared log (one short line per append, which O_APPEND keeps whole).
 *
 * <p>Arguments: {@code sqlite|postgres DB WORKER_ID LOG LEASE_MS CONCURRENCY STEP_MS}.
 *
 * <ul>
 *   <li>{@code crash.work}: three checkpointed steps a, b, c; each logs {@code run ID STEP PID}
 *       when its body starts and {@code done ID STEP PID} after the checkpoint is committed; the
 *       result joins the three step outcomes, so a re-run that did not replay them would show.
 *   <li>{@code limited.work}: logs {@code start ID NANOS} after its claim and {@code end ID NANOS}
 *       before it returns (System.nanoTime is the system-wide monotonic clock on Linux).
 * </ul>
 */
public final class CrashWorker {
  private CrashWorker() {}

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    String db = args[1];
    String workerId = args[2];
    Path log = Path.of(args[3]);
    Duration lease = Duration.ofMillis(Long.parseLong(args[4]));
    int concurrency = Integer.parseInt(args[5]);
    long stepMillis = Long.parseLong(args[6]);
    String pid = Long.toString(ProcessHandle.current().pid());

    ExecutionStore store =
        kind.equals("postgres")
            ? PostgresExecutionStore.builder().url(db).poolSize(concurrency + 2).open()
            : SqliteExecutionStore.open(Path.of(db));
    Durable durable = Durable.builder().store(store).build();
    durable.register(
        Task.of(
            "crash.work",
            String.class,
            String.class,
            (ctx, input) -> {
              StringBuilder result = new StringBuilder(input);
              for (String step : List.of("a", "b", "c")) {
                String outcome =
                    ctx.step(
                        step,
                        String.class,
                        () -> {
                          append(log, "run " + ctx.executionId() + " " + step + " " + pid);
                          Thread.sleep(stepMillis); // the step's work, long enough to be killed in
                          return step + "@" + pid + "/" + System.nanoTime();
                        });
                append(log, "done " + ctx.executionId() + " " + step + " " + pid);
                result.append('|').append(outcome);
              }
              return result.toString();
            }));
    durable.register(
        Task.of(
            "limited.work",
            String.class,
            String.class,
            (ctx, input) -> {
              append(log, "start " + ctx.executionId() + " " + System.nanoTime());
              Thread.sleep(stepMillis);
              append(log, "end " + ctx.executionId() + " " + System.nanoTime());
              return input;
            }));
    if (store instanceof PostgresExecutionStore postgres) {
      NotificationWakeups.connect(durable, postgres);
    }
    durable
        .worker(
            WorkerConfig.builder()
                .workerId(workerId)
                .concurrency(concurrency)
                .lease(lease)
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(200))
                .build())
        .start();
    System.out.println("ready " + pid);
    System.out.flush();
    new CountDownLatch(1).await(); // until the test kills this process
  }

  static void append(Path log, String line) throws IOException {
    Files.writeString(
        log,
        line + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND,
        StandardOpenOption.WRITE);
  }
}
