package dev.sluice.metrics;

import dev.sluice.http.DecisionEvent;
import dev.sluice.http.DecisionListener;
import dev.sluice.ratelimit.policy.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Metrics of an {@code HttpRateLimiter}'s decisions: a {@link DecisionListener} to pass to its
 * builder, and a {@link MeterBinder} for the registry. Decisions heard before {@link #bindTo} are
 * not counted. Bind it to one registry (a composite registry to export to several).
 *
 * <pre>{@code
 * RateLimitMetrics metrics = RateLimitMetrics.builder("public-api").build();
 * HttpRateLimiter limiter = HttpRateLimiter.builder(policy).listener(metrics).build();
 * metrics.bindTo(registry);
 * }</pre>
 *
 * <p>Meters (see {@code docs/metrics.md}): {@code sluice.ratelimit.decisions} by policy, outcome,
 * rule and tier; {@code sluice.ratelimit.decision.duration}; {@code sluice.ratelimit.near.limit}
 * (allowed with under 20% of the quota left); {@code sluice.ratelimit.penalized} by level; {@code
 * sluice.http.token.failures} by reason; {@code sluice.ratelimit.top.client.decisions} by rank.
 * Rules and tiers come from the policy, so the series are bounded by its size, never by traffic.
 */
public final class RateLimitMetrics implements MeterBinder, DecisionListener {
  /** Penalty levels at and above this one share one tag value ({@code "5+"}). */
  static final int LEVELS = 5;

  private static final Duration[] BUCKETS = {
    Duration.ofNanos(10_000),
    Duration.ofNanos(50_000),
    Duration.ofNanos(100_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(50),
    Duration.ofMillis(100)
  };

  /** By default one decision in this many is counted for the top clients, standing for all. */
  public static final int DEFAULT_TOP_CLIENTS_SAMPLE = 16;

  private final String policy;
  private final TopClients top;
  private final int topSample;
  private volatile Bound bound;

  private RateLimitMetrics(Builder b) {
    this.policy = b.policy;
    this.top = b.topClients == 0 ? null : new TopClients(b.topClients);
    this.topSample = b.topClientsSample;
  }

  /**
   * Starts a binder for one policy.
   *
   * @param policy the policy's name, the value of the {@code policy} tag
   * @return a builder
   * @throws IllegalArgumentException if the name is blank
   */
  public static Builder builder(String policy) {
    return new Builder(TagValues.requireName("ratelimit.metrics.policy", policy));
  }

  /**
   * The heaviest clients seen, for an admin page or a log; never exported as tags.
   *
   * @return the tracker, or null when top clients are off
   */
  public TopClients topClients() {
    return top;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    if (bound != null) {
      throw new IllegalStateException(
          "ratelimit metrics of policy " + policy + " are already bound to a registry");
    }
    Bound b = new Bound(registry);
    if (top != null) {
      for (int rank = 1; rank <= top.size(); rank++) {
        int r = rank;
        Gauge.builder("sluice.ratelimit.top.client.decisions", top, t -> t.countAt(r))
            .description("Decisions of the client at this rank among the heaviest (Space-Saving)")
            .tags("policy", policy, "rank", Integer.toString(rank))
            .strongReference(true)
            .register(registry);
      }
      Gauge.builder("sluice.ratelimit.top.client.decisions", top, TopClients::others)
          .description("Decisions of the client at this rank among the heaviest (Space-Saving)")
          .tags("policy", policy, "rank", "other")
          .strongReference(true)
          .register(registry);
    }
    bound = b;
  }

  @Override
  public void onDecision(DecisionEvent event) {
    Bound b = bound;
    if (b == null) {
      return;
    }
    Outcome outcome = event.outcome();
    String rule = TagValues.orNone(event.ruleId());
    String tier = TagValues.orNone(event.tier());
    Row row = b.row(rule, tier);
    row.decision(outcome).increment();
    long nanos = event.decisionNanos();
    if (nanos >= 0) {
      b.duration.record(nanos, TimeUnit.NANOSECONDS);
    }
    if (outcome == Outcome.ALLOWED) {
      long quota = event.quota();
      long remaining = event.remaining();
      if (quota > 0 && remaining >= 0 && remaining * 5 < quota) {
        row.nearLimit().increment();
      }
    } else if (outcome == Outcome.PENALIZED && event.penaltyLevel() > 0) {
      int level = Math.min(event.penaltyLevel(), LEVELS);
      b.penalized.computeIfAbsent(level, b::penalizedCounter).increment();
    }
    if (event.tokenFailure() != null) {
      b.tokenFailures
          .computeIfAbsent(TagValues.of(event.tokenFailure()), b::tokenFailureCounter)
          .increment();
    }
    if (top != null
        && (topSample == 1 || ThreadLocalRandom.current().nextInt(topSample) == 0)
        && event.identity() != null) {
      top.record(event.identity(), topSample);
    }
  }

  private record RuleTier(String rule, String tier) {}

  /**
   * The counters of one rule and tier, by outcome, registered with the first decision of each. The
   * rule and tier strings come from the policy, the same instances every time, so the row of the
   * previous decision is found by identity without hashing.
   */
  private final class Row {
    final String rule;
    final String tier;
    private final MeterRegistry registry;
    private final AtomicReferenceArray<Counter> byOutcome =
        new AtomicReferenceArray<>(Outcome.values().length);
    private volatile Counter nearLimit;

    Row(MeterRegistry registry, String rule, String tier) {
      this.registry = registry;
      this.rule = rule;
      this.tier = tier;
    }

    Counter decision(Outcome outcome) {
      Counter c = byOutcome.get(outcome.ordinal());
      if (c == null) {
        // the registry returns the same counter for the same name and tags, so a race is harmless
        c =
            Counter.builder("sluice.ratelimit.decisions")
                .description("Rate-limit decisions by outcome, rule and tier")
                .tags(
                    "policy", policy, "outcome", TagValues.of(outcome), "rule", rule, "tier", tier)
                .register(registry);
        byOutcome.set(outcome.ordinal(), c);
      }
      return c;
    }

    Counter nearLimit() {
      Counter c = nearLimit;
      if (c == null) {
        c =
            Counter.builder("sluice.ratelimit.near.limit")
                .description("Allowed decisions that left less than 20% of the quota")
                .tags("policy", policy, "rule", rule, "tier", tier)
                .register(registry);
        nearLimit = c;
      }
      return c;
    }
  }

  /** The meters of one registry; counters appear with the first decision of their tags. */
  private final class Bound {
    final MeterRegistry registry;
    final Timer duration;
    final ConcurrentHashMap<RuleTier, Row> rows = new ConcurrentHashMap<>();
    private volatile Row last;
    final ConcurrentHashMap<Integer, Counter> penalized = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, Counter> tokenFailures = new ConcurrentHashMap<>();

    Bound(MeterRegistry registry) {
      this.registry = registry;
      this.duration =
          Timer.builder("sluice.ratelimit.decision.duration")
              .description("Time to decide on one request, identity and token included")
              .tag("policy", policy)
              .serviceLevelObjectives(BUCKETS)
              .register(registry);
    }

    Row row(String rule, String tier) {
      Row r = last;
      if (r != null && r.rule == rule && r.tier == tier) {
        return r;
      }
      r =
          rows.computeIfAbsent(
              new RuleTier(rule, tier), k -> new Row(registry, k.rule(), k.tier()));
      last = r;
      return r;
    }

    Counter penalizedCounter(int level) {
      return Counter.builder("sluice.ratelimit.penalized")
          .description("Requests refused while the client serves a penalty, by penalty level")
          .tags("policy", policy, "level", level >= LEVELS ? LEVELS + "+" : Integer.toString(level))
          .register(registry);
    }

    Counter tokenFailureCounter(String reason) {
      return Counter.builder("sluice.http.token.failures")
          .description("Bearer tokens not believed, by reason")
          .tags("policy", policy, "reason", reason)
          .register(registry);
    }
  }

  /** Collects the settings of a {@link RateLimitMetrics}. */
  public static final class Builder {
    private final String policy;
    private int topClients = TopClients.DEFAULT_SIZE;
    private int topClientsSample = DEFAULT_TOP_CLIENTS_SAMPLE;

    private Builder(String policy) {
      this.policy = policy;
    }

    /**
     * Sets how many of the heaviest clients are reported by rank; 10 by default, 0 for none.
     *
     * @param size 0 to 1000
     * @return this builder
     * @throws IllegalArgumentException if {@code size} is outside 0..1000
     */
    public Builder topClients(int size) {
      if (size < 0 || size > 1000) {
        throw new IllegalArgumentException(
            "ratelimit.metrics.top-clients must be in 0..1000, was " + size);
      }
      this.topClients = size;
      return this;
    }

    /**
     * Sets how many decisions one counted for the top clients stands for: one in {@code oneIn},
     * picked at random, is recorded with that weight, so the heaviest clients are found at a
     * fraction of the cost (a client sending {@code n} requests is seen about {@code n / oneIn}
     * times); 1 records every decision exactly. 16 by default.
     *
     * @param oneIn 1 to 65536
     * @return this builder
     * @throws IllegalArgumentException if {@code oneIn} is out of range
     */
    public Builder topClientsSample(int oneIn) {
      if (oneIn < 1 || oneIn > 1 << 16) {
        throw new IllegalArgumentException(
            "ratelimit.metrics.top-clients-sample must be in 1..65536, was " + oneIn);
      }
      this.topClientsSample = oneIn;
      return this;
    }

    /**
     * Builds.
     *
     * @return the binder, to pass to the limiter and bind to a registry
     */
    public RateLimitMetrics build() {
      return new RateLimitMetrics(this);
    }
  }
}
