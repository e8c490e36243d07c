package dev.sluice.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ExecutionIdTest {

  @Test
  void aRandomIdIsAVersion7UuidCarryingTheCurrentTime() {
    long before = System.currentTimeMillis();
    UUID uuid = UUID.fromString(ExecutionId.random().value());
    long after = System.currentTimeMillis();
    assertThat(uuid.version()).isEqualTo(7);
    assertThat(uuid.variant()).isEqualTo(2);
    assertThat(uuid.getMostSignificantBits() >>> 16).isBetween(before, after);
  }

  @Test
  void idsMadeInLaterMillisecondsSortAfterEarlierOnesAsText() {
    List<String> made = new ArrayList<>();
    long start = System.currentTimeMillis();
    while (System.currentTimeMillis() < start + 5) {
      made.add(ExecutionId.random().value());
    }
    for (int i = 1; i < made.size(); i++) {
      long earlier = UUID.fromString(made.get(i - 1)).getMostSignificantBits() >>> 16;
      long later = UUID.fromString(made.get(i)).getMostSignificantBits() >>> 16;
      if (later > earlier) {
        assertThat(made.get(i)).isGreaterThan(made.get(i - 1));
      }
    }
  }

  @Test
  void aHundredThousandIdsAreDistinct() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      seen.add(ExecutionId.random().value());
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
