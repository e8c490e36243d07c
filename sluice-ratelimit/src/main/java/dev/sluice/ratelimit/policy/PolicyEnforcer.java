package dev.sluice.ratelimit.policy;

import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.time.TimeSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Applies a {@link Policy} to requests: exemptions first, then penalties, then the matched rule's
 * limits through a {@link RateLimiter}. The policy can be replaced at any time with {@link
 * #reload}; requests in flight finish under the policy they started with.
 *
 * <pre>{@code
 * PolicyEnforcer enforcer = PolicyEnforcer.create(policy, RateLimiter.builder().build());
 * Verdict verdict = enforcer.evaluate(Request.anonymous("GET", "/api/items", "192.0.2.7"));
 * if (verdict.blocked()) {
 *   respond429(verdict.retryAfter());
 * }
 * }</pre>
 *
 * <p><b>Counters across reloads.</b> A client's counters are kept per rule id and limit id, so a
 * limit that is unchanged in the new policy keeps counting where it was; a limit whose quota,
 * window, burst or algorithm changed keeps the permits used so far, clamped to its new capacity.
 * Penalties in progress stay in force.
 *
 * <p><b>Penalties</b> are kept in a {@link PenaltyStore}: in the process by default, or in a store
 * shared by several nodes ({@link #create(Policy, RateLimiter, PenaltyStore)}).
 */
public final class PolicyEnforcer {
  /** The most clients whose violations and penalties are remembered, by default. */
  public static final long DEFAULT_MAX_PENALIZED_CLIENTS = 100_000;

  private static final String DEFAULT_SCOPE = "~defaults";

  private final AtomicReference<Policy> policy;
  private final RateLimiter limiter;
  private final TimeSource time;
  private final PenaltyStore penalties;
  private final KeyCache keys = new KeyCache();

  private PolicyEnforcer(Policy policy, RateLimiter limiter, PenaltyStore penalties) {
    this.policy = new AtomicReference<>(Objects.requireNonNull(policy, "policy"));
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.time = limiter.timeSource();
    this.penalties = Objects.requireNonNull(penalties, "penalties");
  }

  /**
   * Creates an enforcer that remembers the penalties of up to {@value
   * #DEFAULT_MAX_PENALIZED_CLIENTS} clients.
   *
   * @param policy the policy in force
   * @param limiter the limiter, whose store and time source are used
   * @return the enforcer
   */
  public static PolicyEnforcer create(Policy policy, RateLimiter limiter) {
    return new PolicyEnforcer(
        policy, limiter, PenaltyStore.inMemory(DEFAULT_MAX_PENALIZED_CLIENTS));
  }

  /**
   * Creates an enforcer with a bound on remembered penalties.
   *
   * @param policy the policy in force
   * @param limiter the limiter, whose store and time source are used
   * @param maxPenalizedClients the most clients whose violations are remembered, at least 1
   * @return the enforcer
   * @throws IllegalArgumentException if {@code maxPenalizedClients} is below 1
   */
  public static PolicyEnforcer create(
      Policy policy, RateLimiter limiter, long maxPenalizedClients) {
    if (maxPenalizedClients < 1) {
      throw new IllegalArgumentException(
          "maxPenalizedClients must be >= 1, was " + maxPenalizedClients);
    }
    return new PolicyEnforcer(policy, limiter, PenaltyStore.inMemory(maxPenalizedClients));
  }

  /**
   * Creates an enforcer that keeps violations and penalties in a given store, such as one shared by
   * every node of a service.
   *
   * @param policy the policy in force
   * @param limiter the limiter, whose store and time source are used
   * @param penalties where violations and penalties are kept
   * @return the enforcer
   */
  public static PolicyEnforcer create(Policy policy, RateLimiter limiter, PenaltyStore penalties) {
    return new PolicyEnforcer(policy, limiter, penalties);
  }

  /**
   * Where this enforcer keeps violations and penalties.
   *
   * @return the penalty store
   */
  public PenaltyStore penaltyStore() {
    return penalties;
  }

  /**
   * The policy in force.
   *
   * @return the policy
   */
  public Policy policy() {
    return policy.get();
  }

  /**
   * Puts a new policy in force, atomically. A policy is validated when it is built, so an invalid
   * configuration never gets this far and the old policy stays in force.
   *
   * @param next the new policy
   * @return the policy it replaced
   */
  public Policy reload(Policy next) {
    return policy.getAndSet(Objects.requireNonNull(next, "policy"));
  }

  /**
   * The progressive penalties now: clients serving one by level, penalties started by level. It
   * passes once over the clients tracked (at most the bound given at creation), so call it per
   * scrape, not per request.
   *
   * @return the figures at this instant
   */
  public PenaltyStats penaltyStats() {
    return penalties.stats(time.nanoTime());
  }

  /**
   * The time source of the limiter this enforcer charges, for callers that measure on the same
   * clock.
   *
   * @return the time source
   */
  public TimeSource timeSource() {
    return time;
  }

  /**
   * Decides on one request and, unless it is exempt, penalized or over a limit, charges it.
   *
   * @param request the request
   * @return the verdict
   */
  public Verdict evaluate(Request request) {
    Policy p = policy.get();
    // the path is split only when a rule or a path exemption will look at its segments
    List<String> segments =
        p.rules().isEmpty() && p.exemptions().paths().isEmpty()
            ? List.of()
            : PathPattern.split(request.path());
    String tier = p.tierOf(request);
    if (p.exemptions().exempts(request, segments)) {
      return new Verdict(Outcome.EXEMPT, null, tier, null, 0, 0);
    }
    Penalty penalty = p.penaltyOrNull();
    String client = penalty == null ? null : request.identity();
    PenaltyStanding standing = PenaltyStanding.CLEAR;
    if (penalty != null) {
      // one look-up serves both the refusal and the level an allowed verdict reports
      standing = penalties.check(client, time.nanoTime());
      if (standing.penalized()) {
        return new Verdict(
            Outcome.PENALIZED, null, tier, null, standing.remainingNanos(), standing.level());
      }
    }
    Rule rule = p.ruleFor(request.method(), segments);
    String ruleId = rule == null ? null : rule.id();
    List<Limit> limits = p.limitsFor(rule, tier);
    if (limits.isEmpty()) {
      return new Verdict(Outcome.UNLIMITED, ruleId, tier, null, 0, 0);
    }
    String key = keys.scoped(rule == null ? DEFAULT_SCOPE : rule.id(), request);
    Decision decision = limiter.decide(key, limits);
    if (decision.allowed()) {
      return new Verdict(Outcome.ALLOWED, ruleId, tier, decision, 0, standing.level());
    }
    if (rule != null && rule.mode() == RuleMode.SHADOW) {
      return new Verdict(Outcome.SHADOW_DENIED, ruleId, tier, decision, 0, 0);
    }
    long retryAfter = decision.retryAfterNanos();
    int level = 0;
    if (penalty != null) {
      PenaltyStanding after = penalties.recordViolation(client, penalty, time.nanoTime());
      level = after.level();
      retryAfter = Math.max(retryAfter, after.remainingNanos());
    }
    return new Verdict(Outcome.DENIED, ruleId, tier, decision, retryAfter, level);
  }
}
