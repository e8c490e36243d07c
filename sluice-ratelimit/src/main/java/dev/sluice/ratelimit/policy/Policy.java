package dev.sluice.ratelimit.policy;

import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimitConfigException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who gets which limits: rules by method and path, tiers of callers, default limits, exemptions and
 * progressive penalties. Immutable and validated once, at {@link Builder#build()}; swap a new one
 * into a {@link PolicyEnforcer} to reload.
 *
 * <p><b>Which rule applies.</b> Of the rules whose methods and path match, the one with the most
 * specific path wins ({@link PathPattern#compareSpecificity}); on equally specific paths, a rule
 * naming methods beats one for every method; then the rule declared first wins.
 *
 * <p><b>Which limits apply.</b> For a caller of tier {@code t}, in this order, the first that
 * exists: the matched rule's limits for {@code t}; the matched rule's own limits; tier {@code t}'s
 * limits; the policy's default limits. If none exists, the request is {@link Outcome#UNLIMITED}.
 * Anonymous callers are of the anonymous tier ({@code anonymous} by default); authenticated callers
 * of the tier their request names if the policy has it, else of the default tier ({@code standard}
 * by default).
 */
public final class Policy {
  private final List<Limit> defaults;
  private final Map<String, Tier> tiers;
  private final List<Rule> rules;
  private final List<Rule> byPrecedence;
  private final Exemptions exemptions;
  private final @Nullable Penalty penalty;
  private final String anonymousTier;
  private final String defaultTier;

  private Policy(Builder b) {
    this.defaults = Limits.check("defaults.limits", b.defaults);
    this.tiers = Map.copyOf(b.tiers);
    this.rules = List.copyOf(b.rules);
    this.exemptions = b.exemptions;
    this.penalty = b.penalty;
    this.anonymousTier = b.anonymousTier;
    this.defaultTier = b.defaultTier;
    Map<String, Rule> seen = new LinkedHashMap<>();
    for (Rule rule : rules) {
      Rule twin = seen.put(rule.id(), rule);
      if (twin != null) {
        throw new RateLimitConfigException("rules.id must be unique, was " + rule.id() + " twice");
      }
      for (String tier : rule.tierLimits().keySet()) {
        if (!tiers.containsKey(tier)) {
          throw new RateLimitConfigException(
              "rules["
                  + rule.id()
                  + "].tiers must name tiers of the policy "
                  + tiers.keySet()
                  + ", was "
                  + tier);
        }
      }
    }
    List<Rule> sorted = new ArrayList<>(rules);
    sorted.sort(PRECEDENCE); // stable: declaration order breaks the last tie
    for (int i = 0; i < rules.size(); i++) {
      for (int j = i + 1; j < rules.size(); j++) {
        Rule first = rules.get(i);
        Rule second = rules.get(j);
        if (first.path().equals(second.path()) && overlap(first, second)) {
          throw new RateLimitConfigException(
              "rules["
                  + second.id()
                  + "].path must not repeat the path and methods of rules["
                  + first.id()
                  + "], was "
                  + second.path());
        }
      }
    }
    this.byPrecedence = List.copyOf(sorted);
  }

  private static final Comparator<Rule> PRECEDENCE =
      ((Comparator<Rule>) (x, y) -> x.path().compareSpecificity(y.path()))
          .thenComparing(rule -> rule.methods().isEmpty());

  private static boolean overlap(Rule a, Rule b) {
    if (a.methods().isEmpty() || b.methods().isEmpty()) {
      return a.methods().isEmpty() && b.methods().isEmpty();
    }
    return a.methods().stream().anyMatch(b.methods()::contains);
  }

  /**
   * Starts a policy.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The limits for requests no rule or tier covers.
   *
   * @return the default limits, maybe empty
   */
  public List<Limit> defaults() {
    return defaults;
  }

  /**
   * The tiers by name.
   *
   * @return the tiers
   */
  public Map<String, Tier> tiers() {
    return tiers;
  }

  /**
   * The rules in declaration order.
   *
   * @return the rules
   */
  public List<Rule> rules() {
    return rules;
  }

  /**
   * The exemptions.
   *
   * @return the exemptions
   */
  public Exemptions exemptions() {
    return exemptions;
  }

  /**
   * The progressive penalty, if enabled.
   *
   * @return the penalty, or empty
   */
  public Optional<Penalty> penalty() {
    return Optional.ofNullable(penalty);
  }

  @Nullable Penalty penaltyOrNull() {
    return penalty;
  }

  /**
   * The tier of anonymous callers.
   *
   * @return its name
   */
  public String anonymousTier() {
    return anonymousTier;
  }

  /**
   * The tier of authenticated callers whose tier is not known.
   *
   * @return its name
   */
  public String defaultTier() {
    return defaultTier;
  }

  /**
   * The rule that applies to a request, by the precedence described on this class.
   *
   * @param method the request method
   * @param path the request path
   * @return the rule, or empty when none matches
   */
  public Optional<Rule> ruleFor(String method, String path) {
    return Optional.ofNullable(ruleFor(method, PathPattern.split(path)));
  }

  @Nullable Rule ruleFor(String method, List<String> segments) {
    for (Rule rule : byPrecedence) {
      if (rule.appliesTo(method, segments)) {
        return rule;
      }
    }
    return null;
  }

  /**
   * The tier a request belongs to.
   *
   * @param request the request
   * @return the tier's name
   */
  public String tierOf(Request request) {
    if (request.userId() == null) {
      return anonymousTier;
    }
    return request.tier() != null && tiers.containsKey(request.tier())
        ? request.tier()
        : defaultTier;
  }

  /**
   * The limits for a caller of a tier under a rule, by the order described on this class.
   *
   * @param rule the matched rule, or null
   * @param tier the caller's tier
   * @return the limits, empty when the request is unlimited
   */
  public List<Limit> limitsFor(@Nullable Rule rule, String tier) {
    if (rule != null) {
      List<Limit> forTier = rule.tierLimits().get(tier);
      if (forTier != null) {
        return forTier;
      }
      if (!rule.limits().isEmpty()) {
        return rule.limits();
      }
    }
    Tier t = tiers.get(tier);
    if (t != null && !t.limits().isEmpty()) {
      return t.limits();
    }
    return defaults;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Policy that
        && defaults.equals(that.defaults)
        && tiers.equals(that.tiers)
        && rules.equals(that.rules)
        && exemptions.equals(that.exemptions)
        && Objects.equals(penalty, that.penalty)
        && anonymousTier.equals(that.anonymousTier)
        && defaultTier.equals(that.defaultTier);
  }

  @Override
  public int hashCode() {
    return Objects.hash(defaults, tiers, rules, exemptions, penalty, anonymousTier, defaultTier);
  }

  /** Collects the parts of a {@link Policy}; {@link #build()} validates them together. */
  public static final class Builder {
    private List<Limit> defaults = List.of();
    private final Map<String, Tier> tiers = new LinkedHashMap<>();
    private final List<Rule> rules = new ArrayList<>();
    private Exemptions exemptions = Exemptions.none();
    private @Nullable Penalty penalty;
    private String anonymousTier = "anonymous";
    private String defaultTier = "standard";

    private Builder() {}

    /**
     * Sets the limits for requests no rule or tier covers.
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder defaults(List<Limit> limits) {
      this.defaults = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Adds a tier.
     *
     * @param tier the tier; a later tier of the same name replaces an earlier one
     * @return this builder
     */
    public Builder tier(Tier tier) {
      tiers.put(tier.name(), tier);
      return this;
    }

    /**
     * Adds a rule.
     *
     * @param rule the rule
     * @return this builder
     */
    public Builder rule(Rule rule) {
      rules.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /**
     * Sets the exemptions; none by default.
     *
     * @param exemptions the exemptions
     * @return this builder
     */
    public Builder exemptions(Exemptions exemptions) {
      this.exemptions = Objects.requireNonNull(exemptions, "exemptions");
      return this;
    }

    /**
     * Enables progressive penalties; off by default.
     *
     * @param penalty the penalty, or null to disable
     * @return this builder
     */
    public Builder penalty(@Nullable Penalty penalty) {
      this.penalty = penalty;
      return this;
    }

    /**
     * Names the tier of anonymous callers; {@code anonymous} by default.
     *
     * @param tier the name
     * @return this builder
     */
    public Builder anonymousTier(String tier) {
      this.anonymousTier = Objects.requireNonNull(tier, "tier");
      return this;
    }

    /**
     * Names the tier of authenticated callers of unknown tier; {@code standard} by default.
     *
     * @param tier the name
     * @return this builder
     */
    public Builder defaultTier(String tier) {
      this.defaultTier = Objects.requireNonNull(tier, "tier");
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the policy
     * @throws RateLimitConfigException if rule ids repeat, a rule names an unknown tier, or two
     *     rules have the same path and overlapping methods
     */
    public Policy build() {
      return new Policy(this);
    }
  }
}
