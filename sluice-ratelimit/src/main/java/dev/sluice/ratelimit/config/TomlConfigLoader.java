package dev.sluice.ratelimit.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.sluice.ratelimit.Algorithm;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.policy.Exemptions;
import dev.sluice.ratelimit.policy.Penalty;
import dev.sluice.ratelimit.policy.Policy;
import dev.sluice.ratelimit.policy.Rule;
import dev.sluice.ratelimit.policy.RuleMode;
import dev.sluice.ratelimit.policy.Tier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@link RateLimitConfig} from TOML, with environment overrides, strictly: an unknown key,
 * a value of the wrong type, a zero quota or burst, an unknown algorithm, an unparsable window or
 * path pattern are all refused with a {@link RateLimitConfigException} that names the key, the rule
 * and the value. The format is described in {@code docs/ratelimit.md}.
 *
 * <pre>{@code
 * RateLimitConfig config = TomlConfigLoader.load(Path.of("ratelimit.toml"), System.getenv());
 * }</pre>
 *
 * <p>Environment variables named {@code SLUICE_RATELIMIT_<PATH>} replace values present in the
 * file: {@code SLUICE_RATELIMIT_PENALTY_COOLDOWN=2m} sets {@code penalty.cooldown}, {@code
 * SLUICE_RATELIMIT_RULES_API_LIMITS_PER_SECOND_QUOTA=50} sets the quota of limit {@code per-second}
 * of rule {@code api} (keys upper-cased, {@code -} and {@code .} written {@code _}, entries of rule
 * and limit arrays addressed by their id).
 */
public final class TomlConfigLoader {
  private static final TomlMapper MAPPER = new TomlMapper();

  private static final Set<String> ROOT_KEYS =
      Set.of("limiter", "defaults", "tiers", "rules", "exemptions", "penalty", "http");
  private static final Set<String> LIMITER_KEYS =
      Set.of("max-keys", "max-penalized-clients", "anonymous-tier", "default-tier");
  private static final Set<String> DEFAULTS_KEYS = Set.of("algorithm", "limits");
  private static final Set<String> TIER_KEYS = Set.of("limits");
  private static final Set<String> RULE_KEYS =
      Set.of("id", "methods", "path", "mode", "limits", "tiers");
  private static final Set<String> LIMIT_KEYS =
      Set.of("id", "quota", "window", "burst", "algorithm");
  private static final Set<String> EXEMPTION_KEYS = Set.of("addresses", "users", "paths");
  private static final Set<String> PENALTY_KEYS =
      Set.of("threshold", "window", "cooldown", "multiplier", "max-cooldown", "reset-after");

  private TomlConfigLoader() {}

  /**
   * Reads a configuration file.
   *
   * @param file the TOML file
   * @param env environment variables, usually {@link System#getenv()}
   * @return the validated configuration
   * @throws RateLimitConfigException if the file cannot be read or breaks a rule
   */
  public static RateLimitConfig load(Path file, Map<String, String> env) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RateLimitConfigException("cannot read rate-limit configuration " + file, e);
    }
    return parse(text, env);
  }

  /**
   * Reads configuration text.
   *
   * @param toml the TOML text
   * @param env environment variables that override values of the text
   * @return the validated configuration
   * @throws RateLimitConfigException if the text is not TOML or breaks a rule
   */
  public static RateLimitConfig parse(String toml, Map<String, String> env) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(toml);
    } catch (JacksonException e) {
      throw new RateLimitConfigException(
          "rate-limit configuration is not valid TOML: " + e.getOriginalMessage(), e);
    }
    if (tree == null || !tree.isObject()) {
      tree = MAPPER.createObjectNode();
    }
    ObjectNode root = (ObjectNode) tree;
    EnvironmentOverrides.apply(root, env);
    return read(root);
  }

  private static RateLimitConfig read(ObjectNode tree) {
    ConfigTable root = ConfigTable.root(tree).onlyKeys(ROOT_KEYS);
    ConfigTable limiter = root.table("limiter").onlyKeys(LIMITER_KEYS);
    ConfigTable defaults = root.table("defaults").onlyKeys(DEFAULTS_KEYS);
    Algorithm algorithm = algorithm(defaults, Algorithm.GCRA);
    Policy.Builder policy = Policy.builder();
    policy.defaults(limits(defaults, algorithm));
    if (limiter.has("anonymous-tier")) {
      policy.anonymousTier(limiter.text("anonymous-tier"));
    }
    if (limiter.has("default-tier")) {
      policy.defaultTier(limiter.text("default-tier"));
    }
    for (Map.Entry<String, ConfigTable> tier : root.table("tiers").tables().entrySet()) {
      ConfigTable table = tier.getValue().onlyKeys(TIER_KEYS);
      policy.tier(new Tier(tier.getKey(), limits(table, algorithm)));
    }
    for (ConfigTable rule : root.array("rules")) {
      policy.rule(rule(rule, algorithm));
    }
    ConfigTable exemptions = root.table("exemptions").onlyKeys(EXEMPTION_KEYS);
    policy.exemptions(
        Exemptions.of(
            exemptions.texts("addresses"), exemptions.texts("users"), exemptions.texts("paths")));
    if (root.has("penalty")) {
      policy.penalty(penalty(root.table("penalty")));
    }
    return new RateLimitConfig(
        policy.build(),
        limiter.longValue("max-keys", 1_000_000),
        limiter.longValue("max-penalized-clients", 100_000),
        http(root));
  }

  private static Rule rule(ConfigTable node, Algorithm algorithm) {
    node.onlyKeys(RULE_KEYS);
    JsonNode id = node.get("id");
    if (id == null || !id.isTextual()) {
      throw node.error("id", "must be set to a text", id);
    }
    Rule.Builder rule = Rule.builder(id.asText());
    rule.path(node.text("path"));
    rule.methods(node.texts("methods"));
    if (node.has("mode")) {
      rule.mode(
          node.choice("mode", "enforce", "enforce", "shadow").equals("shadow")
              ? RuleMode.SHADOW
              : RuleMode.ENFORCE);
    }
    rule.limits(limits(node, algorithm));
    for (Map.Entry<String, ConfigTable> tier : node.table("tiers").tables().entrySet()) {
      ConfigTable table = tier.getValue().onlyKeys(TIER_KEYS);
      rule.tierLimits(tier.getKey(), limits(table, algorithm));
    }
    return rule.build();
  }

  /** The {@code limits} array of a table, each limit's algorithm defaulting to the file's. */
  private static List<Limit> limits(ConfigTable parent, Algorithm algorithm) {
    List<Limit> out = new ArrayList<>();
    for (ConfigTable limit : parent.array("limits")) {
      limit.onlyKeys(LIMIT_KEYS);
      JsonNode id = limit.get("id");
      Limit.Builder builder = Limit.builder(id != null && id.isTextual() ? id.asText() : null);
      builder.quota(limit.longValue("quota", 0));
      builder.window(limit.duration("window"));
      if (limit.has("burst")) {
        builder.burst(limit.longValue("burst", 0));
      }
      builder.algorithm(algorithm(limit, algorithm));
      try {
        out.add(builder.build());
      } catch (RateLimitConfigException e) {
        // the limit names itself as limits[id]; put the table it sits in before that
        throw parent.where().isEmpty() ? e : e.within(parent.where());
      }
    }
    return out;
  }

  private static Penalty penalty(ConfigTable node) {
    node.onlyKeys(PENALTY_KEYS);
    Penalty.Builder penalty = Penalty.builder();
    if (node.has("threshold")) {
      penalty.threshold(node.intValue("threshold", 0));
    }
    if (node.has("window")) {
      penalty.window(node.duration("window"));
    }
    if (node.has("cooldown")) {
      penalty.cooldown(node.duration("cooldown"));
    }
    if (node.has("multiplier")) {
      penalty.multiplier(node.longValue("multiplier", 0));
    }
    if (node.has("max-cooldown")) {
      penalty.maxCooldown(node.duration("max-cooldown"));
    }
    if (node.has("reset-after")) {
      penalty.resetAfter(node.duration("reset-after"));
    }
    return penalty.build();
  }

  /** The {@code [http]} table as plain values; the HTTP layer reads and validates it. */
  private static Map<String, Object> http(ConfigTable root) {
    return root.table("http").values();
  }

  private static Algorithm algorithm(ConfigTable table, Algorithm absent) {
    if (!table.has("algorithm")) {
      return absent;
    }
    String name = table.text("algorithm");
    try {
      return Algorithm.fromConfigName(name);
    } catch (RateLimitConfigException e) {
      throw new RateLimitConfigException(
          table.at("algorithm") + " " + e.getMessage().replaceFirst("^algorithm ", ""), e);
    }
  }
}
