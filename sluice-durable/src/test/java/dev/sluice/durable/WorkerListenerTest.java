package dev.sluice.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.durable.store.ClaimRequest;
import dev.sluice.durable.store.ExecutionRecord;
import dev.sluice.durable.store.ExecutionStore;
import dev.sluice.durable.store.SqliteExecutionStore;
import dev.sluice.retry.Backoff;
import dev.sluice.retry.RetryPolicy;
import dev.sluice.retry.RetrySchedule;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A worker tells its listeners of each claim round and of each run: started (with how long it
 * waited while due), completed, failed (retrying or for good), lease lost and writes refused. A
 * listener that throws changes nothing for the worker or for the listeners after it.
 */
class WorkerListenerTest extends FixtureTest {
  private static final RetrySchedule TWO_TRIES_TWO_SECONDS_APART =
      RetryPolicy.builder()
          .maxAttempts(2)
          .backoff(Backoff.fixed(Duration.ofSeconds(2)))
          .build()
          .schedule();

  private final RecordingListener heard = new RecordingListener();

  @Test
  void theListenerHearsEveryRunAndHowItEndedAndOneThatThrowsBreaksNothing() {
    AtomicInteger thrown = new AtomicInteger();
    WorkerListener throwing = new ThrowingListener(thrown);
    Task<Integer, Integer> ok =
        f.durable.register(Task.of("ok", Integer.class, Integer.class, (ctx, n) -> n));
    Task<Integer, Integer> flaky =
        f.durable.register(
            Task.of(
                "flaky",
                Integer.class,
                Integer.class,
                (ctx, n) -> {
                  if (ctx.attempt() == 1) {
                    throw new IllegalStateException("first attempt fails");
                  }
                  return n;
                }));
    Task<Integer, Integer> doomed =
        f.durable.register(
            Task.of(
                "doomed",
                Integer.class,
                Integer.class,
                (ctx, n) -> {
                  throw new IllegalStateException("always fails");
                }));
    DispatchOptions mail = DispatchOptions.builder().queue("mail").build();
    ExecutionId ok1 = f.durable.dispatch(ok, 1);
    ExecutionId ok2 = f.durable.dispatch(ok, 2, mail);
    ExecutionId flaky1 =
        f.durable.dispatch(
            flaky, 3, DispatchOptions.builder().retry(TWO_TRIES_TWO_SECONDS_APART).build());
    ExecutionId doomed1 = f.durable.dispatch(doomed, 4);
    f.time.advance(Duration.ofSeconds(5)); // all four wait, due, for five seconds

    Worker worker =
        f.worker(
            WorkerConfig.builder()
                .queues("default", "mail")
                .shutdownGrace(Duration.ZERO)
                .listener(throwing)
                .listener(heard));
    await().until(() -> heard.events.size() == 8);
    assertThat(heard.events)
        .containsExactlyInAnyOrder(
            "started ok@default#1 after 5000ms",
            "started ok@mail#1 after 5000ms",
            "started flaky@default#1 after 5000ms",
            "started doomed@default#1 after 5000ms",
            "completed ok@default#1",
            "completed ok@mail#1",
            "failed flaky@default#1 (first attempt fails), retrying",
            "failed doomed@default#1 (always fails), for good");
    for (String run : List.of("ok@default#1", "ok@mail#1", "flaky@default#1", "doomed@default#1")) {
      assertThat(indexOf("started " + run))
          .as("%s started before it ended", run)
          .isLessThan(Math.max(indexOf("completed " + run), indexOf("failed " + run)));
    }
    assertThat(f.durable.stateOf(doomed1)).isEqualTo(ExecutionState.FAILED);
    assertThat(f.durable.operator().deadLetterCount()).isEqualTo(1);

    // the retry is due two seconds after the failure and waits one and a half more
    f.time.advance(Duration.ofMillis(3500));
    await().until(() -> heard.events.size() == 10);
    assertThat(heard.events.subList(8, 10))
        .containsExactly("started flaky@default#2 after 1500ms", "completed flaky@default#2");
    assertThat(f.durable.waitFor(flaky1, Integer.class, Duration.ZERO)).isEqualTo(3);
    assertThat(f.durable.waitFor(ok1, Integer.class, Duration.ZERO)).isEqualTo(1);
    assertThat(f.durable.waitFor(ok2, Integer.class, Duration.ZERO)).isEqualTo(2);

    // a claim round is reported after its runs are launched, so possibly after they ended
    await().until(() -> heard.totalClaimed() == 5);
    assertThat(heard.claimed).as("the first round claims all four").contains(4, 1);
    assertThat(heard.matching("lease lost")).isEmpty();
    assertThat(worker.rejectedWrites()).isZero();
    await().until(() -> worker.finishedRuns() == 5);
    await()
        .alias("the throwing listener is called for every event too, first")
        .until(() -> thrown.get() == heard.events.size() + heard.claimed.size());
  }

  /** The index of the first event starting with {@code prefix}, or -1. */
  private int indexOf(String prefix) {
    List<String> events = heard.events;
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).startsWith(prefix + " ") || events.get(i).equals(prefix)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aClaimRoundReportsHowLongTheQueryTookOnTheEnginesTimeSource() {
    try (ExecutionStore store = slowClaims(SqliteExecutionStore.open(dir.resolve("slow.db")))) {
      Durable durable = Durable.builder().store(store).timeSource(f.time).build();
      Task<Integer, Integer> ok =
          durable.register(Task.of("ok", Integer.class, Integer.class, (ctx, n) -> n));
      durable.map(ok, List.of(1, 2, 3));
      try (Worker worker =
          durable
              .worker(
                  WorkerConfig.builder()
                      .concurrency(8)
                      .shutdownGrace(Duration.ZERO)
                      .listener(heard)
                      .build())
              .start()) {
        await().until(() -> heard.matching("completed").size() == 3);
        assertThat(heard.claimed).startsWith(3);
        assertThat(heard.claimNanos).isNotEmpty().allMatch(nanos -> nanos == 7_000_000L);
        assertThat(worker.finishedRuns()).isEqualTo(3);
      }
    }
  }

  @Test
  void aLeaseTakenOverIsReportedOnceAndEachRefusedWriteIsReported() throws Exception {
    HeartbeatSwallowingStore store =
        new HeartbeatSwallowingStore(SqliteExecutionStore.open(dir.resolve("swallow.db")));
    try (store) {
      Durable durable = Durable.builder().store(store).timeSource(f.time).build();
      CountDownLatch release = new CountDownLatch(1);
      Task<Integer, Integer> held = durable.register(held(release));
      Worker worker =
          durable.worker(
              WorkerConfig.builder()
                  .concurrency(1) // so it cannot claim back its own lapsed lease
                  .lease(Duration.ofSeconds(10))
                  .shutdownGrace(Duration.ZERO)
                  .listener(heard)
                  .build());
      try (worker) {
        worker.start();
        ExecutionId id = durable.dispatch(held, 1);
        await().until(() -> heard.matching("started").size() == 1);

        // its heartbeats never reach the database: the lease lapses and another worker takes it
        f.time.advance(Duration.ofSeconds(11));
        List<ExecutionRecord> stolen =
            store.claim(
                new ClaimRequest(
                    "thief",
                    List.of(DispatchOptions.DEFAULT_QUEUE),
                    List.of("held"),
                    Set.of(),
                    1,
                    f.now(),
                    Duration.ofHours(1).toMillis()));
        assertThat(stolen).extracting(ExecutionRecord::id).containsExactly(id);
        store.frozen = false;
        f.tickUntil(() -> heard.events.size() == 3);
        assertThat(heard.events)
            .containsExactly(
                "started held@default#1 after 0ms",
                "lease lost held@default#1",
                "heartbeat refused held@default#1");

        release.countDown();
        await().until(() -> heard.events.size() == 4);
        assertThat(heard.events.get(3)).isEqualTo("completion refused held@default#1");
        assertThat(worker.rejectedWrites()).isEqualTo(2);
        assertThat(heard.matching("completed")).isEmpty();
      }
    }
  }

  @Test
  void aCancelledRunIsReportedAsALeaseLostToCancellation() {
    CountDownLatch release = new CountDownLatch(1);
    Task<Integer, Integer> held = f.durable.register(held(release));
    Worker worker =
        f.worker(
            WorkerConfig.builder()
                .concurrency(1)
                .lease(Duration.ofSeconds(10))
                .shutdownGrace(Duration.ZERO)
                .listener(heard));
    ExecutionId id = f.durable.dispatch(held, 1);
    await().until(() -> heard.matching("started").size() == 1);
    assertThat(f.durable.cancel(id)).isTrue();
    f.tickUntil(() -> heard.events.size() == 3);
    assertThat(heard.events.subList(1, 3))
        .containsExactly(
            "lease lost held@default#1 (cancelled)", "heartbeat refused held@default#1");

    release.countDown();
    await().until(() -> heard.matching("completion refused").size() == 1);
    assertThat(heard.matching("lease lost")).hasSize(1);
    assertThat(heard.events)
        .as("one start, one lease lost, and each refused write")
        .hasSize(2 + (int) worker.rejectedWrites());
  }

  @Test
  void executionsHandedBackAtShutdownAreNoLeaseLoss() {
    CountDownLatch release = new CountDownLatch(1);
    Task<Integer, Integer> held = f.durable.register(held(release));
    Worker worker =
        f.durable.worker(
            WorkerConfig.builder().shutdownGrace(Duration.ZERO).listener(heard).build());
    worker.start();
    f.durable.dispatch(held, 1);
    await().until(() -> heard.matching("started").size() == 1);
    worker.close();
    release.countDown();
    await().until(() -> worker.finishedRuns() == 1);
    assertThat(heard.matching("lease lost")).isEmpty();
    assertThat(heard.matching("completed")).isEmpty();
    assertThat(heard.matching("completion refused")).hasSize(1);
  }

  private static Task<Integer, Integer> held(CountDownLatch release) {
    return Task.of(
        "held",
        Integer.class,
        Integer.class,
        (ctx, n) -> {
          release.await();
          return n;
        });
  }

  /** The store, whose every claim takes seven milliseconds of the manual clock. */
  private ExecutionStore slowClaims(ExecutionStore store) {
    return (ExecutionStore)
        Proxy.newProxyInstance(
            ExecutionStore.class.getClassLoader(),
            new Class<?>[] {ExecutionStore.class},
            (proxy, method, args) -> {
              try {
                Object result = method.invoke(store, args);
                if (method.getName().equals("claim")) {
                  f.time.advance(Duration.ofMillis(7));
                }
                return result;
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** Throws from every event, counting them. */
  private record ThrowingListener(AtomicInteger thrown) implements WorkerListener {
    @Override
    public void onClaim(int claimed, long claimNanos) {
      throw boom();
    }

    @Override
    public void onStarted(ExecutionRun run, long dispatchToStartNanos) {
      throw boom();
    }

    @Override
    public void onCompleted(ExecutionRun run) {
      throw boom();
    }

    @Override
    public void onFailed(ExecutionRun run, Throwable failure, boolean retrying) {
      throw boom();
    }

    @Override
    public void onLeaseLost(ExecutionRun run, boolean cancelled) {
      throw boom();
    }

    @Override
    public void onWriteRefused(ExecutionRun run, String write) {
      throw boom();
    }

    private IllegalStateException boom() {
      thrown.incrementAndGet();
      return new IllegalStateException("listener bug");
    }
  }
}
