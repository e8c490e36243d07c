package dev.sluice.app;

import dev.sluice.durable.ExecutionId;
import dev.sluice.durable.store.ClaimRequest;
import dev.sluice.durable.store.ExecutionRecord;
import dev.sluice.durable.store.ExecutionStore;
import dev.sluice.durable.store.NewExecution;
import dev.sluice.durable.store.StepKind;
import dev.sluice.durable.store.StepRecord;
import dev.sluice.durable.store.StepStatus;
import dev.sluice.testkit.PostgresDatabase;
import java.util.List;
import java.util.Set;

/**
 * A store with one execution in each interesting state: {@code done} (completed with result {@code
 * 0} and one step), {@code dead} (failed, with a dead letter), {@code waiting} (pending in queue
 * {@code mail}), {@code busy} (running), {@code old} (completed long ago).
 */
final class Fixtures {
  private Fixtures() {}

  static void populate(ExecutionStore store) {
    populate(store, System.currentTimeMillis());
  }

  static void populate(ExecutionStore store, long now) {
    store.dispatch(execution("old", "report", "default", now - 30L * 86_400_000));
    ExecutionRecord old = claim(store, "old", now);
    store.complete(old.lease(), "1", now - 30L * 86_400_000);
    store.dispatch(execution("done", "report", "default", now - 3));
    ExecutionRecord done = claim(store, "done", now);
    store.recordStep(
        done.lease(),
        new StepRecord(
            done.id(), 1, "fetch", StepKind.STEP, StepStatus.DONE, "{\"rows\":3}", null, now));
    store.complete(done.lease(), "0", now);
    store.dispatch(execution("dead", "report", "default", now - 2));
    ExecutionRecord dead = claim(store, "dead", now);
    store.fail(dead.lease(), "upstream said 503", now);
    store.dispatch(execution("busy", "report", "default", now - 1));
    claim(store, "busy", now);
    store.dispatch(execution("waiting", "mail", "mail", now + 3_600_000));
  }

  private static NewExecution execution(String id, String task, String queue, long at) {
    return new NewExecution(
        ExecutionId.of(id),
        task,
        queue,
        List.of(),
        0,
        "{\"to\":\"" + id + "\"}",
        null,
        null,
        1,
        null,
        at,
        at,
        null);
  }

  private static ExecutionRecord claim(ExecutionStore store, String id, long now) {
    List<ExecutionRecord> claimed =
        store.claim(
            new ClaimRequest(
                "fixture", List.of("default"), List.of("report"), Set.of(), 1, now, 600_000));
    if (claimed.size() != 1 || !claimed.get(0).id().value().equals(id)) {
      throw new IllegalStateException("fixture expected to claim " + id + ", got " + claimed);
    }
    return claimed.get(0);
  }

  /** A JDBC URL that carries the credentials, as a user would type it. */
  static String urlWithCredentials(PostgresDatabase database) {
    String url = database.jdbcUrl();
    if (database.user() != null && !url.contains("user=")) {
      url += (url.contains("?") ? "&" : "?") + "user=" + database.user();
    }
    if (database.password() != null && !url.contains("password=")) {
      url += (url.contains("?") ? "&" : "?") + "password=" + database.password();
    }
    return url;
  }
}
