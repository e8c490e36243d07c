package dev.sluice.ratelimit.policy;

import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimitConfigException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Limits for the requests whose method and path match: its own limits, and optionally different
 * limits per tier. Each rule counts separately: a client's requests to two rules draw from two
 * budgets.
 *
 * <pre>{@code
 * Rule compute = Rule.builder("compute")
 *     .methods("POST")
 *     .path("/api/*}{@code /compute")
 *     .limits(List.of(Limit.of("per-minute", 10, Duration.ofMinutes(1))))
 *     .tierLimits("premium", List.of(Limit.of("per-minute", 100, Duration.ofMinutes(1))))
 *     .build();
 * }</pre>
 */
public final class Rule {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,16}");

  private final String id;
  private final Set<String> methods;
  private final PathPattern path;
  private final List<Limit> limits;
  private final Map<String, List<Limit>> tierLimits;
  private final RuleMode mode;

  private Rule(Builder b) {
    if (b.id == null || !ID.matcher(b.id).matches()) {
      throw new RateLimitConfigException(
          "rules.id must be 1-64 letters, digits, '.', '_' or '-', was " + b.id);
    }
    this.id = b.id;
    String where = "rules[" + id + "]";
    Set<String> upper = new LinkedHashSet<>();
    for (String method : b.methods) {
      String m = method == null ? "" : method.toUpperCase(Locale.ROOT);
      if (!METHOD.matcher(m).matches()) {
        throw new RateLimitConfigException(
            where + ".methods must be HTTP method names, was " + method);
      }
      upper.add(m);
    }
    this.methods = Set.copyOf(upper);
    if (b.path == null) {
      throw new RateLimitConfigException(where + ".path must be set");
    }
    try {
      this.path = PathPattern.parse(b.path);
    } catch (RateLimitConfigException e) {
      throw e.within(where);
    }
    this.limits = Limits.check(where + ".limits", b.limits);
    Map<String, List<Limit>> byTier = new LinkedHashMap<>();
    b.tierLimits.forEach(
        (tier, list) -> {
          List<Limit> checked = Limits.check(where + ".tiers[" + tier + "].limits", list);
          if (checked.isEmpty()) {
            throw new RateLimitConfigException(
                where + ".tiers[" + tier + "].limits must not be empty");
          }
          byTier.put(tier, checked);
        });
    this.tierLimits = Map.copyOf(byTier);
    this.mode = b.mode;
  }

  /**
   * Starts a rule.
   *
   * @param id names the rule in verdicts and counters; keep it stable across reloads so counters
   *     carry over
   * @return a builder
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * The rule's id.
   *
   * @return the id
   */
  public String id() {
    return id;
  }

  /**
   * The methods it applies to, upper case.
   *
   * @return the methods; empty means every method
   */
  public Set<String> methods() {
    return methods;
  }

  /**
   * The path pattern.
   *
   * @return the pattern
   */
  public PathPattern path() {
    return path;
  }

  /**
   * The rule's own limits.
   *
   * @return the limits; empty when the tier's limits apply
   */
  public List<Limit> limits() {
    return limits;
  }

  /**
   * Limits that replace the rule's own for a tier.
   *
   * @return tier name to limits
   */
  public Map<String, List<Limit>> tierLimits() {
    return tierLimits;
  }

  /**
   * Whether the rule enforces or only reports.
   *
   * @return the mode
   */
  public RuleMode mode() {
    return mode;
  }

  boolean appliesTo(String method, List<String> pathSegments) {
    return (methods.isEmpty() || methods.contains(method.toUpperCase(Locale.ROOT)))
        && path.matchesSegments(pathSegments);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Rule that
        && id.equals(that.id)
        && methods.equals(that.methods)
        && path.equals(that.path)
        && limits.equals(that.limits)
        && tierLimits.equals(that.tierLimits)
        && mode == that.mode;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, methods, path, limits, tierLimits, mode);
  }

  @Override
  public String toString() {
    return "Rule[" + id + ": " + (methods.isEmpty() ? "*" : methods) + " " + path + "]";
  }

  /** Collects the values of a {@link Rule}; {@link #build()} validates them. */
  public static final class Builder {
    private final String id;
    private List<String> methods = List.of();
    private @Nullable String path;
    private List<Limit> limits = List.of();
    private final Map<String, List<Limit>> tierLimits = new LinkedHashMap<>();
    private RuleMode mode = RuleMode.ENFORCE;

    private Builder(String id) {
      this.id = id;
    }

    /**
     * Restricts the rule to some methods; every method by default.
     *
     * @param methods such as {@code GET}, {@code POST}
     * @return this builder
     */
    public Builder methods(String... methods) {
      this.methods = List.of(methods);
      return this;
    }

    /**
     * Restricts the rule to some methods; every method by default.
     *
     * @param methods such as {@code GET}, {@code POST}
     * @return this builder
     */
    public Builder methods(List<String> methods) {
      this.methods = List.copyOf(methods);
      return this;
    }

    /**
     * Sets the path pattern, see {@link PathPattern}.
     *
     * @param pattern such as {@code /api/**}
     * @return this builder
     */
    public Builder path(String pattern) {
      this.path = pattern;
      return this;
    }

    /**
     * Sets the rule's own limits.
     *
     * @param limits the limits, decided on together
     * @return this builder
     */
    public Builder limits(List<Limit> limits) {
      this.limits = limits;
      return this;
    }

    /**
     * Sets the limits for one tier, replacing the rule's own for callers of that tier.
     *
     * @param tier the tier's name; must be a tier of the policy
     * @param limits the limits, not empty
     * @return this builder
     */
    public Builder tierLimits(String tier, List<Limit> limits) {
      this.tierLimits.put(Objects.requireNonNull(tier, "tier"), limits);
      return this;
    }

    /**
     * Sets whether the rule enforces; {@link RuleMode#ENFORCE} by default.
     *
     * @param mode the mode
     * @return this builder
     */
    public Builder mode(RuleMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Validates and builds the rule.
     *
     * @return the rule
     * @throws RateLimitConfigException if a value breaks a rule; the message names this rule
     */
    public Rule build() {
      return new Rule(this);
    }
  }
}
