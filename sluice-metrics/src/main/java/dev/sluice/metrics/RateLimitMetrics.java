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
import java.util.concurrent.TimeUnit;

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

  private final String policy;
  private final TopClients top;
  private volatile Bound bound;

  private RateLimitMetrics(Builder b) {
    this.policy = b.policy;
    this.top = b.topClients == 0 ? null : new TopClients(b.topClients);
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
    String rule = TagValues.orNone(event.ruleId());
    String tier = TagValues.orNone(event.tier());
    b.decisions
        .computeIfAbsent(new DecisionKey(event.outcome(), rule, tier), k -> b.decisionCounter(k))
        .increment();
    b.duration.record(event.decisionNanos(), TimeUnit.NANOSECONDS);
    if (event.outcome() == Outcome.ALLOWED
        && event.quota() > 0
        && event.remaining() >= 0
        && event.remaining() * 5 < event.quota()) {
      b.nearLimit.computeIfAbsent(new RuleTier(rule, tier), k -> b.nearLimitCounter(k)).increment();
    }
    if (event.outcome() == Outcome.PENALIZED && event.penaltyLevel() > 0) {
      int level = Math.min(event.penaltyLevel(), LEVELS);
      b.penalized.computeIfAbsent(level, b::penalizedCounter).increment();
    }
    if (event.tokenFailure() != null) {
      b.tokenFailures
          .computeIfAbsent(TagValues.of(event.tokenFailure()), b::tokenFailureCounter)
          .increment();
    }
    if (top != null && event.identity() != null) {
      top.record(event.identity());
    }
  }

  private record DecisionKey(Outcome outcome, String rule, String tier) {}

  private record RuleTier(String rule, String tier) {}

  /** The meters of one registry; counters appear with the first decision of their tags. */
  private final class Bound {
    final MeterRegistry registry;
    final Timer duration;
    final ConcurrentHashMap<DecisionKey, Counter> decisions = new ConcurrentHashMap<>();
    final ConcurrentHashMap<RuleTier, Counter> nearLimit = new ConcurrentHashMap<>();
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

    Counter decisionCounter(DecisionKey k) {
      return Counter.builder("sluice.ratelimit.decisions")
          .description("Rate-limit decisions by outcome, rule and tier")
          .tags(
              "policy",
              policy,
              "outcome",
              TagValues.of(k.outcome()),
              "rule",
              k.rule(),
              "tier",
              k.tier())
          .register(registry);
    }

    Counter nearLimitCounter(RuleTier k) {
      return Counter.builder("sluice.ratelimit.near.limit")
          .description("Allowed decisions that left less than 20% of the quota")
          .tags("policy", policy, "rule", k.rule(), "tier", k.tier())
          .register(registry);
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
     * Builds.
     *
     * @return the binder, to pass to the limiter and bind to a registry
     */
    public RateLimitMetrics build() {
      return new RateLimitMetrics(this);
    }
  }
}
