package dev.sluice.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.store.LimitStore;
import dev.sluice.time.EpochClock;
import dev.sluice.time.ManualTimeSource;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Each algorithm against a reference model written independently of it, on any {@link LimitStore}:
 * a store's test extends this and says which store (the in-memory engine here, the Redis script in
 * sluice-redis). Every sequence runs on a manual clock under a key of its own.
 */
public abstract class AlgorithmContract {
  private static final AtomicLong RUN = new AtomicLong();

  /**
   * The manual clock's wall start: near the epoch, so that the UTC epoch nanoseconds the limiter
   * hands its store stay below 2^53 and exact in a script computing in doubles (Redis' Lua on the
   * caller's clock); windows still fall on UTC multiples.
   */
  protected static final Instant START = Instant.ofEpochSecond(1_000);

  /**
   * The store for one arrival sequence: a fresh one, or one shared by every sequence (each sequence
   * runs under a key of its own).
   *
   * @return the store
   */
  protected abstract LimitStore store();

  /**
   * Arrival sequences: bursts, short and long gaps, mostly unit costs.
   *
   * @return the generator
   */
  @Provide
  protected Arbitrary<List<Arrival>> arrivals() {
    Arbitrary<Long> gaps =
        Arbitraries.oneOf(
            Arbitraries.just(0L),
            Arbitraries.longs().between(0, 5_000_000L),
            Arbitraries.longs().between(0, 2_000_000_000L));
    Arbitrary<Long> costs =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, Arbitraries.just(1L)),
            net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(1, 12)));
    return Combinators.combine(gaps, costs).as(Arrival::new).list().ofMinSize(1).ofMaxSize(150);
  }

  private static Limit limit(Algorithm algorithm, long quota, long windowMillis, Long burst) {
    Limit.Builder builder =
        Limit.builder("l")
            .quota(quota)
            .window(Duration.ofMillis(windowMillis))
            .algorithm(algorithm);
    if (burst != null) {
      builder.burst(burst);
    }
    return builder.build();
  }

  /** Runs the sequence under a fresh key, returning the decision of every arrival. */
  private List<Decision> run(List<Limit> limits, List<Arrival> arrivals) {
    ManualTimeSource time = new ManualTimeSource(START);
    RateLimiter limiter = RateLimiter.builder().timeSource(time).store(store()).build();
    String key = "client-" + RUN.incrementAndGet();
    List<Decision> decisions = new ArrayList<>();
    for (Arrival arrival : arrivals) {
      time.advanceNanos(arrival.gapNanos());
      decisions.add(limiter.decide(key, limits, arrival.cost()));
    }
    return decisions;
  }

  @Property
  public void tokenBucketNeverAdmitsMoreThanBurstPlusRateTimesElapsed(
      @ForAll("arrivals") List<Arrival> arrivals,
      @ForAll @LongRange(min = 1, max = 50) long quota,
      @ForAll @LongRange(min = 1, max = 3_000) long windowMillis,
      @ForAll @LongRange(min = 1, max = 60) long burst) {
    Limit limit = limit(Algorithm.TOKEN_BUCKET, quota, windowMillis, burst);
    List<Decision> decisions = run(List.of(limit), arrivals);
    long[] times = times(arrivals);
    long windowNanos = limit.windowNanos();
    for (int i = 0; i < arrivals.size(); i++) {
      long admitted = 0;
      for (int j = i; j < arrivals.size(); j++) {
        if (decisions.get(j).allowed()) {
          admitted += arrivals.get(j).cost();
        }
        BigInteger elapsed = BigInteger.valueOf(times[j] - times[i]);
        // admitted <= burst + quota * elapsed / window, compared without rounding
        BigInteger lhs =
            BigInteger.valueOf(admitted - burst).multiply(BigInteger.valueOf(windowNanos));
        assertThat(lhs).isLessThanOrEqualTo(elapsed.multiply(BigInteger.valueOf(quota)));
      }
    }
  }

  @Property
  public void tokenBucketMatchesTheReferenceBucketOfNanosecondCredit(
      @ForAll("arrivals") List<Arrival> arrivals,
      @ForAll @LongRange(min = 1, max = 50) long quota,
      @ForAll @LongRange(min = 1, max = 3_000) long windowMillis,
      @ForAll @LongRange(min = 1, max = 60) long burst) {
    Limit limit = limit(Algorithm.TOKEN_BUCKET, quota, windowMillis, burst);
    List<Decision> decisions = run(List.of(limit), arrivals);
    // reference: credit in nanoseconds of refill, capped at burst intervals
    long interval = limit.intervalNanos();
    long credit = burst * interval;
    for (int i = 0; i < arrivals.size(); i++) {
      Arrival arrival = arrivals.get(i);
      credit = Math.min(burst * interval, credit + arrival.gapNanos());
      boolean admit = arrival.cost() * interval <= credit;
      if (admit) {
        credit -= arrival.cost() * interval;
      }
      assertThat(decisions.get(i).allowed()).as("arrival %d", i).isEqualTo(admit);
      assertThat(decisions.get(i).remaining(0)).isEqualTo(credit / interval);
    }
  }

  @Property
  public void gcraAdmitsExactlyWhatTheEquivalentTokenBucketAdmits(
      @ForAll("arrivals") List<Arrival> arrivals,
      @ForAll @LongRange(min = 1, max = 50) long quota,
      @ForAll @LongRange(min = 1, max = 3_000) long windowMillis,
      @ForAll @LongRange(min = 1, max = 60) long burst) {
    List<Decision> gcra = run(List.of(limit(Algorithm.GCRA, quota, windowMillis, burst)), arrivals);
    List<Decision> bucket =
        run(List.of(limit(Algorithm.TOKEN_BUCKET, quota, windowMillis, burst)), arrivals);
    for (int i = 0; i < arrivals.size(); i++) {
      assertThat(gcra.get(i).allowed()).as("arrival %d", i).isEqualTo(bucket.get(i).allowed());
      assertThat(gcra.get(i).remaining(0)).isEqualTo(bucket.get(i).remaining(0));
      assertThat(gcra.get(i).retryAfterNanos()).isEqualTo(bucket.get(i).retryAfterNanos());
      assertThat(gcra.get(i).resetAfterNanos(0)).isEqualTo(bucket.get(i).resetAfterNanos(0));
    }
  }

  @Property
  public void slidingLogIsExact(
      @ForAll("arrivals") List<Arrival> arrivals,
      @ForAll @LongRange(min = 1, max = 40) long quota,
      @ForAll @LongRange(min = 1, max = 3_000) long windowMillis) {
    Limit limit = limit(Algorithm.SLIDING_LOG, quota, windowMillis, null);
    List<Decision> decisions = run(List.of(limit), arrivals);
    long[] times = times(arrivals);
    long window = limit.windowNanos();
    List<long[]> admitted = new ArrayList<>(); // {time, cost}
    for (int i = 0; i < arrivals.size(); i++) {
      long now = times[i];
      long inWindow = 0;
      for (long[] a : admitted) {
        if (now - a[0] < window) {
          inWindow += a[1];
        }
      }
      boolean admit = inWindow + arrivals.get(i).cost() <= quota;
      if (admit) {
        admitted.add(new long[] {now, arrivals.get(i).cost()});
        inWindow += arrivals.get(i).cost();
      }
      assertThat(decisions.get(i).allowed()).as("arrival %d", i).isEqualTo(admit);
      assertThat(decisions.get(i).remaining(0)).isEqualTo(quota - inWindow);
    }
  }

  @Property
  public void fixedWindowAdmitsAtMostTwiceTheQuotaInAnyWindowLengthAndTheQuotaPerWindow(
      @ForAll("arrivals") List<Arrival> arrivals,
      @ForAll @LongRange(min = 1, max = 40) long quota,
      @ForAll @LongRange(min = 1, max = 3_000) long windowMillis) {
    Limit limit = limit(Algorithm.FIXED_WINDOW, quota, windowMillis, null);
    assertWindowBounds(limit, arrivals, 2);
  }

  @Property
  public void slidingWindowAdmitsAtMostTheQuotaPerFixedWindow(
      @ForAll("arrivals") List<Arrival> arrivals,
      @ForAll @LongRange(min = 1, max = 40) long quota,
      @ForAll @LongRange(min = 1, max = 3_000) long windowMillis) {
    Limit limit = limit(Algorithm.SLIDING_WINDOW, quota, windowMillis, null);
    assertWindowBounds(limit, arrivals, 2);
  }

  /** Per aligned window at most the quota; in any window-long interval at most factor x quota. */
  private void assertWindowBounds(Limit limit, List<Arrival> arrivals, long factor) {
    List<Decision> decisions = run(List.of(limit), arrivals);
    long[] times = times(arrivals);
    long window = limit.windowNanos();
    // windows are aligned to the clock
    java.util.Map<Long, Long> perWindow = new java.util.HashMap<>();
    for (int i = 0; i < arrivals.size(); i++) {
      if (decisions.get(i).allowed()) {
        perWindow.merge(Math.floorDiv(times[i], window), arrivals.get(i).cost(), Long::sum);
      }
      long inInterval = 0;
      for (int j = i; j < arrivals.size() && times[j] - times[i] < window; j++) {
        if (decisions.get(j).allowed()) {
          inInterval += arrivals.get(j).cost();
        }
      }
      assertThat(inInterval).isLessThanOrEqualTo(factor * limit.quota());
    }
    assertThat(perWindow.values()).allMatch(count -> count <= limit.quota());
  }

  @Property
  public void retryAfterIsExactForEveryAlgorithm(
      @ForAll("arrivals") List<Arrival> arrivals,
      @ForAll Algorithm algorithm,
      @ForAll @LongRange(min = 1, max = 30) long quota,
      @ForAll @LongRange(min = 1, max = 3_000) long windowMillis) {
    Limit limit = limit(algorithm, quota, windowMillis, null);
    List<Decision> decisions = run(List.of(limit), arrivals);
    for (int i = 0; i < arrivals.size(); i++) {
      Decision decision = decisions.get(i);
      if (decision.allowed() || decision.retryAfterNanos() == Decision.NEVER) {
        continue;
      }
      List<Arrival> prefix = arrivals.subList(0, i);
      long cost = arrivals.get(i).cost();
      long wait = decision.retryAfterNanos();
      List<Arrival> early = new ArrayList<>(prefix);
      early.add(new Arrival(arrivals.get(i).gapNanos() + wait - 1, cost));
      List<Arrival> onTime = new ArrayList<>(prefix);
      onTime.add(new Arrival(arrivals.get(i).gapNanos() + wait, cost));
      assertThat(last(run(List.of(limit), early)).allowed()).as("one ns early").isFalse();
      assertThat(last(run(List.of(limit), onTime)).allowed()).as("on time").isTrue();
      return; // one denial per sequence keeps the property fast
    }
  }

  @Property
  public void aCostAboveTheBurstIsNeverAdmitted(
      @ForAll Algorithm algorithm, @ForAll @IntRange(min = 1, max = 20) int quota) {
    Limit limit = limit(algorithm, quota, 1_000, null);
    Decision decision = run(List.of(limit), List.of(new Arrival(0, quota + 1))).get(0);
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.retryAfterNanos()).isEqualTo(Decision.NEVER);
    assertThat(decision.remaining(0)).isEqualTo(quota);
  }

  private static Decision last(List<Decision> decisions) {
    return decisions.get(decisions.size() - 1);
  }

  private static long[] times(List<Arrival> arrivals) {
    long[] times = new long[arrivals.size()];
    // the time the limiter hands its store: the manual source's wall clock, in UTC epoch nanos
    long t = EpochClock.epochNanos(START);
    for (int i = 0; i < arrivals.size(); i++) {
      t += arrivals.get(i).gapNanos();
      times[i] = t;
    }
    return times;
  }
}
