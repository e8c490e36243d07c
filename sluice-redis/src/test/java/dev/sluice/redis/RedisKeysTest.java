package dev.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.Algorithm;
import dev.sluice.ratelimit.Limit;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class RedisKeysTest {
  private static final List<Limit> LIMITS =
      List.of(
          Limit.of("per-second", 20, Duration.ofSeconds(1)),
          Limit.builder("per-hour")
              .quota(1000)
              .window(Duration.ofHours(1))
              .algorithm(Algorithm.SLIDING_LOG)
              .build());

  @Property
  void everyKeyOfOneClientFallsInOneClusterSlotWhateverTheClientKey(@ForAll String clientKey) {
    String[] keys = DecideScript.redisClock().keys(new RedisKeys("sluice:rl:"), clientKey, LIMITS);
    Set<Integer> slots = new HashSet<>();
    for (String key : keys) {
      slots.add(SlotHash.getSlot(key));
    }
    assertThat(slots).hasSize(1);
  }

  @Test
  void bracesAndPercentSignsAreEscapedSoDistinctClientsNeverShareState() {
    assertThat(RedisKeys.tag("a}b")).isEqualTo("a%7Db");
    assertThat(RedisKeys.tag("{x}")).isEqualTo("%7Bx%7D");
    assertThat(RedisKeys.tag("100%")).isEqualTo("100%25");
    assertThat(RedisKeys.tag("")).isEqualTo("%");
    assertThat(RedisKeys.tag("%7D")).isNotEqualTo(RedisKeys.tag("}"));
    assertThat(new RedisKeys("p:").stem("user:42")).isEqualTo("p:{user:42}:");
  }
}
