package dev.sluice.durable;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A worker claims for a slot as soon as a handler returns, while that handler's outcome is still
 * being written; the number of handlers running at once still never exceeds its concurrency.
 */
class WorkerConcurrencyTest extends FixtureTest {

  @RepeatedTest(5)
  void neverMoreHandlersRunAtOnceThanTheWorkersConcurrency() {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostInside = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    Task<Integer, Integer> task =
        f.durable.register(
            Task.of(
                "counted",
                Integer.class,
                Integer.class,
                (ctx, n) -> {
                  mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                  try {
                    runs.incrementAndGet();
                    for (int i = 0; i < 20; i++) {
                      Thread.yield();
                    }
                    return n;
                  } finally {
                    inside.decrementAndGet();
                  }
                }));
    f.worker(WorkerConfig.builder().concurrency(4).shutdownGrace(Duration.ZERO));

    List<ExecutionId> ids = f.durable.map(task, IntStream.range(0, 300).boxed().toList());
    for (int i = 0; i < ids.size(); i++) {
      assertThat(f.durable.waitFor(ids.get(i), Integer.class, Duration.ofSeconds(30))).isEqualTo(i);
    }
    assertThat(runs).hasValue(300);
    assertThat(mostInside.get()).isBetween(1, 4);
  }
}
