package dev.sluice.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ConfigException;
import dev.sluice.durable.store.ClaimRequest;
import dev.sluice.durable.store.ExecutionFilter;
import dev.sluice.durable.store.ExecutionRecord;
import dev.sluice.durable.store.Lease;
import dev.sluice.durable.store.NewExecution;
import dev.sluice.durable.store.SqliteExecutionStore;
import dev.sluice.time.ManualTimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An operator without an engine, as the {@code sluice durable} commands use it. */
class OperatorTest {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @TempDir Path dir;
  final ManualTimeSource time = new ManualTimeSource(T0);
  SqliteExecutionStore store;
  Operator operator;

  @BeforeEach
  void open() {
    store = SqliteExecutionStore.open(dir.resolve("ops.db"));
    operator = Operator.of(store, time);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private ExecutionId dispatch(String id) {
    long now = time.now().toEpochMilli();
    store.dispatch(
        new NewExecution(
            ExecutionId.of(id), "t", "q", List.of(), 0, "1", null, null, 1, null, now, now, null));
    return ExecutionId.of(id);
  }

  private Lease claim() {
    ExecutionRecord record =
        store
            .claim(
                new ClaimRequest(
                    "w",
                    List.of("q"),
                    List.of("t"),
                    Set.of(),
                    1,
                    time.now().toEpochMilli(),
                    60_000))
            .get(0);
    return new Lease(record.id(), record.fence(), "w");
  }

  @Test
  void aReplayIsDueAtTheOperatorsNow() {
    ExecutionId id = dispatch("a");
    store.fail(claim(), "boom", time.now().toEpochMilli());
    time.advance(Duration.ofHours(2));

    assertThat(operator.deadLetterCount()).isEqualTo(1);
    assertThat(operator.replay(id)).isTrue();
    ExecutionRecord replayed = operator.find(id).orElseThrow();
    assertThat(replayed.state()).isEqualTo(ExecutionState.PENDING);
    assertThat(replayed.scheduledFor()).isEqualTo(time.now().toEpochMilli());
    assertThat(operator.deadLetterCount()).isZero();
  }

  @Test
  void aCancellationEndsAtTheOperatorsNowAndAnUnknownIdIsRefused() {
    ExecutionId id = dispatch("b");
    time.advance(Duration.ofMinutes(5));

    assertThat(operator.cancel(id)).isTrue();
    assertThat(operator.find(id).orElseThrow().finishedAt()).isEqualTo(time.now().toEpochMilli());
    assertThat(operator.cancel(id)).isFalse();
    assertThatThrownBy(() -> operator.cancel(ExecutionId.of("nope")))
        .isInstanceOf(UnknownExecutionException.class);
  }

  @Test
  void purgingKeepsWhatEndedWithinTheAgeByTheOperatorsClock() {
    store.complete(lease(dispatch("old")), "1", time.now().toEpochMilli());
    time.advance(Duration.ofDays(2));
    store.complete(lease(dispatch("new")), "1", time.now().toEpochMilli());
    time.advance(Duration.ofHours(1));

    assertThat(operator.purgeOlderThan(Duration.ofDays(1), 1)).isEqualTo(1);
    assertThat(operator.list(ExecutionFilter.all(10)))
        .extracting(ExecutionRecord::id)
        .containsExactly(ExecutionId.of("new"));
    assertThatThrownBy(() -> operator.purgeOlderThan(Duration.ofSeconds(-1), 10))
        .isInstanceOf(ConfigException.class)
        .hasMessage("durable.retention must be >= 0, was PT-1S");
  }

  private Lease lease(ExecutionId id) {
    Lease lease = claim();
    assertThat(lease.executionId()).isEqualTo(id);
    return lease;
  }
}
