package dev.sluice.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class WorkerShutdownTest {
  @TempDir Path dir;
  Fixture f;
  final CountDownLatch started = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);
  final AtomicInteger runs = new AtomicInteger();
  Task<String, String> blocking;

  @BeforeEach
  void open() {
    f = new Fixture(dir);
    blocking =
        f.durable.register(
            Task.of(
                "blocking",
                String.class,
                String.class,
                (ctx, in) -> {
                  runs.incrementAndGet();
                  started.countDown();
                  release.await();
                  return "done";
                }));
  }

  @AfterEach
  void close() {
    release.countDown();
    f.close();
  }

  private Worker worker(Duration grace) {
    return f.durable
        .worker(
            WorkerConfig.builder()
                .workerId("w")
                .lease(Duration.ofSeconds(10))
                .shutdownGrace(grace)
                .build())
        .start();
  }

  @Test
  void shutdownKeepsHeartbeatingWhileItWaitsForRunningHandlersToFinish() throws Exception {
    Worker worker = worker(Duration.ofMinutes(1));
    ExecutionId id = f.durable.dispatch(blocking, "x");
    started.await();
    Thread closer = Thread.ofVirtual().start(worker::close);

    // 20s into a 60s grace, with a 10s lease: only heartbeats keep the lease alive
    for (int i = 0; i < 4; i++) {
      f.time.advance(Duration.ofSeconds(5));
      long now = f.now();
      await().until(() -> f.durable.find(id).leaseExpiresAt() > now);
    }
    assertThat(f.durable.find(id).leaseExpiresAt()).isGreaterThan(f.now());
    assertThat(f.durable.stateOf(id)).isEqualTo(ExecutionState.RUNNING);
    assertThat(f.probeClaimAll()).as("no one else may take it while it runs").isEmpty();
    assertThat(closer.isAlive()).isTrue();

    release.countDown();
    closer.join();
    assertThat(f.durable.waitFor(id, String.class, Duration.ZERO)).isEqualTo("done");
    assertThat(worker.rejectedWrites()).isZero();
  }

  @Test
  void shutdownHandsBackWhatOutlivesTheGraceSoAnotherWorkerTakesItAtOnce() throws Exception {
    Worker worker = worker(Duration.ofSeconds(4));
    ExecutionId id = f.durable.dispatch(blocking, "x");
    started.await();
    Thread closer = Thread.ofVirtual().start(worker::close);
    f.tickUntil(() -> !closer.isAlive());

    var handedBack = f.durable.find(id);
    assertThat(handedBack.state()).isEqualTo(ExecutionState.PENDING);
    assertThat(handedBack.workerId()).isNull();
    assertThat(handedBack.leaseExpiresAt()).isNull();
    assertThat(handedBack.attempt()).isEqualTo(1);
    assertThat(f.probeClaimAll()).extracting(r -> r.id()).containsExactly(id);

    release.countDown();
    await().until(() -> worker.rejectedWrites() == 1); // its late completion is refused
    assertThat(runs).hasValue(1);
  }

  @Test
  void startingWithoutRegisteredTasksOrTwiceIsRefused() {
    Durable empty = Durable.builder().store(f.store).timeSource(f.time).build();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> empty.worker(WorkerConfig.builder().build()).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no task is registered");
    Worker worker = worker(Duration.ZERO);
    org.assertj.core.api.Assertions.assertThatThrownBy(worker::start)
        .isInstanceOf(IllegalStateException.class);
    worker.close();
    worker.close();
  }
}
