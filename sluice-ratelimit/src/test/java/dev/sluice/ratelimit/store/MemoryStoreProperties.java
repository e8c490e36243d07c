package dev.sluice.ratelimit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.Algorithm;
import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.internal.Evaluator;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * The store's shortcuts (a key with one GCRA limit keeps its state inline) decide exactly as the
 * {@link Evaluator} does over one state array per key, whatever limits a key carries from one call
 * to the next and whatever order the clock readings come in.
 */
class MemoryStoreProperties {
  private static final String KEY = "client";

  /** One call: how far the caller's clock moved (it may lag), its cost, and which limits. */
  record Call(long gapNanos, long cost, int shape) {}

  @Provide
  Arbitrary<List<Call>> calls() {
    Arbitrary<Long> gaps =
        Arbitraries.oneOf(
            Arbitraries.just(0L),
            Arbitraries.longs().between(-2_000_000L, 5_000_000L),
            Arbitraries.longs().between(0, 3_000_000_000L));
    Arbitrary<Long> costs =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, Arbitraries.just(1L)),
            net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(1, 12)));
    Arbitrary<Integer> shapes =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(12, Arbitraries.just(0)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 4)));
    return Combinators.combine(gaps, costs, shapes)
        .as(Call::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(200);
  }

  private static Limit gcra(String id, long quota, long burst) {
    return Limit.builder(id)
        .quota(quota)
        .window(Duration.ofSeconds(1))
        .burst(burst)
        .algorithm(Algorithm.GCRA)
        .build();
  }

  @Property
  void decisionsMatchTheEvaluatorOverOneStateArrayPerKey(
      @ForAll("calls") List<Call> calls,
      @ForAll @LongRange(min = 1, max = 40) long quota,
      @ForAll @LongRange(min = 1, max = 30) long burst) {
    Limit main = gcra("main", quota, burst);
    List<List<Limit>> shapes =
        List.of(
            List.of(main),
            List.of(gcra("main", quota + 3, burst + 2)), // the same id, changed
            List.of(main, Limit.of("per-minute", 60, Duration.ofMinutes(1))),
            List.of(
                Limit.builder("main")
                    .quota(quota)
                    .window(Duration.ofSeconds(1))
                    .burst(burst)
                    .algorithm(Algorithm.TOKEN_BUCKET)
                    .build()),
            List.of(gcra("other", quota, burst)));
    MemoryStore store = MemoryStore.withMaxKeys(10);
    Reference reference = new Reference();
    long clock = 1_000_000_000L;
    for (Call call : calls) {
      clock += call.gapNanos();
      List<Limit> limits = shapes.get(call.shape());
      Decision actual = store.decide(KEY, limits, call.cost(), clock);
      Decision expected = reference.decide(limits, call.cost(), clock);
      assertSame(actual, expected);
    }
  }

  private static void assertSame(Decision actual, Decision expected) {
    assertThat(actual.allowed()).isEqualTo(expected.allowed());
    assertThat(actual.retryAfterNanos()).isEqualTo(expected.retryAfterNanos());
    assertThat(actual.limits()).isEqualTo(expected.limits());
    for (int i = 0; i < expected.limits().size(); i++) {
      assertThat(actual.violated(i)).isEqualTo(expected.violated(i));
      assertThat(actual.remaining(i)).isEqualTo(expected.remaining(i));
      assertThat(actual.resetAfterNanos(i)).isEqualTo(expected.resetAfterNanos(i));
    }
  }

  /** One key's state as one array run through the {@link Evaluator}, written plainly. */
  private static final class Reference {
    private List<Limit> limits;
    private long[] state;
    private long time = Long.MIN_VALUE;
    private long wholeAt = Long.MIN_VALUE;

    Decision decide(List<Limit> wanted, long cost, long clock) {
      long now = Math.max(clock, time);
      long[] s;
      if (state == null || now >= wholeAt) {
        s = Evaluator.fresh(wanted, now);
      } else if (limits.equals(wanted)) {
        s = state.clone();
      } else {
        s = Evaluator.migrate(limits, state, wanted, now);
      }
      Decision decision = Evaluator.decide(wanted, s, cost, now);
      if (decision.allowed()) {
        limits = wanted;
        state = s;
        time = now;
        wholeAt = Evaluator.wholeAt(wanted, s, now);
      }
      return decision;
    }
  }
}
