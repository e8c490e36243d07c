package dev.sluice.ratelimit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.Algorithm;
import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.store.MemoryStore;
import dev.sluice.time.EpochClock;
import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A decision over several limits is the conjunction of the single-limit decisions, or nothing. */
class MultiLimitProperties {

  @Provide
  Arbitrary<List<Limit>> limitSets() {
    Arbitrary<Limit> limit =
        Combinators.combine(
                Arbitraries.of(Algorithm.class),
                Arbitraries.longs().between(1, 20),
                Arbitraries.longs().between(1, 2_000))
            .as(
                (algorithm, quota, millis) ->
                    Limit.builder("x")
                        .quota(quota)
                        .window(Duration.ofMillis(millis))
                        .algorithm(algorithm)
                        .build());
    return limit
        .list()
        .ofMinSize(2)
        .ofMaxSize(4)
        .map(
            list -> {
              List<Limit> named = new ArrayList<>();
              for (int i = 0; i < list.size(); i++) {
                Limit l = list.get(i);
                named.add(
                    Limit.builder("limit-" + i)
                        .quota(l.quota())
                        .window(l.window())
                        .algorithm(l.algorithm())
                        .build());
              }
              return List.copyOf(named);
            });
  }

  @Provide
  Arbitrary<List<long[]>> arrivals() {
    return Combinators.combine(
            Arbitraries.longs().between(0, 300_000_000L), Arbitraries.longs().between(1, 6))
        .as((gap, cost) -> new long[] {gap, cost})
        .list()
        .ofMinSize(1)
        .ofMaxSize(120);
  }

  @Property
  void multiLimitDecisionsNeverConsumePartially(
      @ForAll("limitSets") List<Limit> limits, @ForAll("arrivals") List<long[]> arrivals) {
    ManualTimeSource time = new ManualTimeSource();
    RateLimiter limiter =
        RateLimiter.builder().timeSource(time).store(MemoryStore.withMaxKeys(4)).build();
    // the time the limiter hands its store: the same clock over the same source reads the same
    EpochClock clock = EpochClock.of(time);
    long[][] singles = new long[limits.size()][];
    for (long[] arrival : arrivals) {
      time.advanceNanos(arrival[0]);
      long now = clock.epochNanos();
      for (int i = 0; i < limits.size(); i++) {
        if (singles[i] == null) {
          // windows align to a key's first request
          singles[i] = Evaluator.fresh(List.of(limits.get(i)), now);
        }
      }
      long cost = arrival[1];
      Decision decision = limiter.decide("k", limits, cost);
      boolean expectAllowed = true;
      long[][] trial = new long[limits.size()][];
      Decision[] alone = new Decision[limits.size()];
      for (int i = 0; i < limits.size(); i++) {
        trial[i] = singles[i].clone();
        alone[i] = Evaluator.decide(List.of(limits.get(i)), trial[i], cost, now);
        expectAllowed &= alone[i].allowed();
      }
      assertThat(decision.allowed()).isEqualTo(expectAllowed);
      for (int i = 0; i < limits.size(); i++) {
        if (expectAllowed) {
          singles[i] = trial[i];
          assertThat(decision.remaining(i)).isEqualTo(alone[i].remaining(0));
        } else {
          // nothing was charged: the limit still has what it had before this request
          long[] untouched = singles[i].clone();
          Evaluator.transition(limits.get(i).algorithm()).advance(limits.get(i), untouched, 0, now);
          assertThat(decision.remaining(i))
              .isEqualTo(
                  Evaluator.transition(limits.get(i).algorithm())
                      .remaining(limits.get(i), untouched, 0, now));
          assertThat(decision.violated(i)).isEqualTo(!alone[i].allowed());
        }
      }
    }
  }
}
