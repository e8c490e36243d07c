package dev.sluice.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExecutionIdTest {

  @Test
  void aTimeOrderedIdIsAVersion7UuidCarryingTheTimeSourcesWallClock() {
    ManualTimeSource time = new ManualTimeSource(Instant.parse("2031-07-04T12:34:56.789Z"));

    UUID uuid = UUID.fromString(ExecutionId.timeOrdered(time).value());

    assertThat(uuid.version()).isEqualTo(7);
    assertThat(uuid.variant()).isEqualTo(2);
    assertThat(uuid.getMostSignificantBits() >>> 16).isEqualTo(time.now().toEpochMilli());
  }

  @Test
  void idsMadeInLaterMillisecondsSortAfterEarlierOnesAsText() {
    ManualTimeSource time = new ManualTimeSource();
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      made.add(ExecutionId.timeOrdered(time).value());
      time.advance(Duration.ofMillis(1));
    }
    assertThat(made).isSorted();
  }

  @Test
  void aHundredThousandIdsMadeInTheSameMillisecondAreDistinct() {
    ManualTimeSource time = new ManualTimeSource();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      seen.add(ExecutionId.timeOrdered(time).value());
    }
    assertThat(seen).hasSize(100_000);
  }

  @Test
  void aChildIdIsItsParentsIdAndTheStepSequence() {
    ExecutionId parent = ExecutionId.of("p");
    assertThat(parent.child(3)).isEqualTo(ExecutionId.of("p.3"));
  }

  @Test
  void aBlankIdIsRefusedWithTheValueQuoted() {
    assertThatThrownBy(() -> ExecutionId.of(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("execution id must not be blank, was \" \"");
  }
}
