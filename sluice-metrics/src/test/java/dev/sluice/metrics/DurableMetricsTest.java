package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.durable.Durable;
import dev.sluice.durable.Task;
import dev.sluice.durable.store.SqliteExecutionStore;
import dev.sluice.time.ManualTimeSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableMetricsTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void countsComeFromTheStoreAndAreQueriedAtMostOncePerCachePeriod(@TempDir Path dir) {
    SqliteExecutionStore store = SqliteExecutionStore.open(dir.resolve("sluice.db"));
    try {
      Durable durable = Durable.builder().store(store).timeSource(time).build();
      Task<Integer, Integer> task =
          durable.register(Task.of("double", Integer.class, Integer.class, (ctx, n) -> n * 2));
      DurableMetrics.builder(durable).cacheFor(Duration.ofSeconds(5)).build().bindTo(registry);
      for (int i = 0; i < 3; i++) {
        durable.dispatch(task, i);
      }
      assertThat(executions("pending")).isEqualTo(3);
      assertThat(executions("completed")).isZero();
      assertThat(registry.get("sluice.durable.dead.letters").gauge().value()).isZero();

      durable.dispatch(task, 3);
      durable.dispatch(task, 4);
      time.advance(Duration.ofSeconds(4));
      assertThat(executions("pending")).as("cached within the period").isEqualTo(3);
      time.advance(Duration.ofSeconds(1));
      assertThat(executions("pending")).as("queried again after it").isEqualTo(5);
      assertThat(registry.find("sluice.durable.executions").gauges()).hasSize(6);
    } finally {
      store.close();
    }
  }

  private double executions(String state) {
    return registry.get("sluice.durable.executions").tag("state", state).gauge().value();
  }
}
