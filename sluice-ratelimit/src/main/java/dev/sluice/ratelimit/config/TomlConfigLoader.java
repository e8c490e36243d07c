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
import dev.sluice.time.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
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

  private static RateLimitConfig read(ObjectNode root) {
    onlyKeys(root, "", ROOT_KEYS);
    JsonNode limiter = table(root, "limiter", "limiter");
    onlyKeys(limiter, "limiter", LIMITER_KEYS);
    JsonNode defaults = table(root, "defaults", "defaults");
    onlyKeys(defaults, "defaults", DEFAULTS_KEYS);
    Algorithm algorithm = Algorithm.GCRA;
    if (defaults.has("algorithm")) {
      algorithm = algorithm(defaults.get("algorithm"), "defaults.algorithm");
    }
    Policy.Builder policy = Policy.builder();
    policy.defaults(limits(defaults.get("limits"), "defaults.limits", algorithm));
    if (limiter.has("anonymous-tier")) {
      policy.anonymousTier(text(limiter.get("anonymous-tier"), "limiter.anonymous-tier"));
    }
    if (limiter.has("default-tier")) {
      policy.defaultTier(text(limiter.get("default-tier"), "limiter.default-tier"));
    }
    JsonNode tiers = table(root, "tiers", "tiers");
    for (Map.Entry<String, JsonNode> tier : tiers.properties()) {
      String where = "tiers[" + tier.getKey() + "]";
      requireTable(tier.getValue(), where);
      onlyKeys(tier.getValue(), where, TIER_KEYS);
      policy.tier(
          new Tier(
              tier.getKey(), limits(tier.getValue().get("limits"), where + ".limits", algorithm)));
    }
    JsonNode rules = root.get("rules");
    if (rules != null) {
      if (!rules.isArray()) {
        throw new RateLimitConfigException(
            "rules must be an array of tables ([[rules]]), was " + rules);
      }
      int index = 0;
      for (JsonNode rule : rules) {
        policy.rule(rule(rule, index++, algorithm));
      }
    }
    JsonNode exemptions = table(root, "exemptions", "exemptions");
    onlyKeys(exemptions, "exemptions", EXEMPTION_KEYS);
    policy.exemptions(
        Exemptions.of(
            strings(exemptions.get("addresses"), "exemptions.addresses"),
            strings(exemptions.get("users"), "exemptions.users"),
            strings(exemptions.get("paths"), "exemptions.paths")));
    if (root.has("penalty")) {
      policy.penalty(penalty(table(root, "penalty", "penalty")));
    }
    return new RateLimitConfig(
        policy.build(),
        integer(limiter.get("max-keys"), "limiter.max-keys", 1_000_000),
        integer(limiter.get("max-penalized-clients"), "limiter.max-penalized-clients", 100_000),
        http(root));
  }

  private static Rule rule(JsonNode node, int index, Algorithm algorithm) {
    String id = node.path("id").isTextual() ? node.get("id").asText() : null;
    String where = "rules[" + (id != null ? id : String.valueOf(index)) + "]";
    requireTable(node, where);
    onlyKeys(node, where, RULE_KEYS);
    if (id == null) {
      throw new RateLimitConfigException(
          where + ".id must be set to a text, was " + node.get("id"));
    }
    Rule.Builder rule = Rule.builder(id);
    if (!node.has("path")) {
      throw new RateLimitConfigException(where + ".path must be set");
    }
    rule.path(text(node.get("path"), where + ".path"));
    rule.methods(strings(node.get("methods"), where + ".methods"));
    if (node.has("mode")) {
      String mode = text(node.get("mode"), where + ".mode");
      try {
        rule.mode(RuleMode.valueOf(mode.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new RateLimitConfigException(
            where + ".mode must be enforce or shadow, was \"" + mode + "\"", e);
      }
    }
    rule.limits(limits(node.get("limits"), where + ".limits", algorithm));
    JsonNode tiers = table(node, "tiers", where + ".tiers");
    for (Map.Entry<String, JsonNode> tier : tiers.properties()) {
      String tierWhere = where + ".tiers[" + tier.getKey() + "]";
      requireTable(tier.getValue(), tierWhere);
      onlyKeys(tier.getValue(), tierWhere, TIER_KEYS);
      rule.tierLimits(
          tier.getKey(), limits(tier.getValue().get("limits"), tierWhere + ".limits", algorithm));
    }
    return rule.build();
  }

  private static List<Limit> limits(JsonNode node, String where, Algorithm algorithm) {
    List<Limit> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (!node.isArray()) {
      throw new RateLimitConfigException(where + " must be an array of limit tables, was " + node);
    }
    int index = 0;
    for (JsonNode limit : node) {
      String id = limit.path("id").isTextual() ? limit.get("id").asText() : String.valueOf(index);
      String at = where + "[" + id + "]";
      requireTable(limit, at);
      onlyKeys(limit, at, LIMIT_KEYS);
      Limit.Builder builder = Limit.builder(limit.path("id").isTextual() ? id : null);
      builder.quota(integer(limit.get("quota"), at + ".quota", 0));
      if (!limit.has("window")) {
        throw new RateLimitConfigException(at + ".window must be set");
      }
      builder.window(duration(limit.get("window"), at + ".window"));
      if (limit.has("burst")) {
        builder.burst(integer(limit.get("burst"), at + ".burst", 0));
      }
      builder.algorithm(
          limit.has("algorithm")
              ? algorithm(limit.get("algorithm"), at + ".algorithm")
              : algorithm);
      try {
        out.add(builder.build());
      } catch (RateLimitConfigException e) {
        // the limit names itself as limits[id]; put the table it sits in before that
        String prefix = where.substring(0, where.length() - "limits".length());
        throw new RateLimitConfigException(prefix + e.getMessage(), e);
      }
      index++;
    }
    return out;
  }

  private static Penalty penalty(JsonNode node) {
    onlyKeys(node, "penalty", PENALTY_KEYS);
    Penalty.Builder penalty = Penalty.builder();
    if (node.has("threshold")) {
      long threshold = integer(node.get("threshold"), "penalty.threshold", 0);
      if (threshold > Integer.MAX_VALUE) {
        throw new RateLimitConfigException(
            "penalty.threshold must be <= " + Integer.MAX_VALUE + ", was " + threshold);
      }
      penalty.threshold((int) threshold);
    }
    if (node.has("window")) {
      penalty.window(duration(node.get("window"), "penalty.window"));
    }
    if (node.has("cooldown")) {
      penalty.cooldown(duration(node.get("cooldown"), "penalty.cooldown"));
    }
    if (node.has("multiplier")) {
      penalty.multiplier(integer(node.get("multiplier"), "penalty.multiplier", 0));
    }
    if (node.has("max-cooldown")) {
      penalty.maxCooldown(duration(node.get("max-cooldown"), "penalty.max-cooldown"));
    }
    if (node.has("reset-after")) {
      penalty.resetAfter(duration(node.get("reset-after"), "penalty.reset-after"));
    }
    return penalty.build();
  }

  /** The {@code [http]} table as plain values; the HTTP layer reads and validates it. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> http(JsonNode root) {
    JsonNode http = table(root, "http", "http");
    return MAPPER.convertValue(http, Map.class);
  }

  private static JsonNode table(JsonNode parent, String key, String where) {
    JsonNode node = parent.get(key);
    if (node == null) {
      return MAPPER.createObjectNode();
    }
    requireTable(node, where);
    return node;
  }

  private static void requireTable(JsonNode node, String where) {
    if (!node.isObject()) {
      throw new RateLimitConfigException(where + " must be a table, was " + node);
    }
  }

  private static void onlyKeys(JsonNode node, String where, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        String at = where.isEmpty() ? key : where + "." + key;
        throw new RateLimitConfigException(
            at
                + " is not a known key (known here: "
                + String.join(", ", allowed.stream().sorted().toList())
                + ")");
      }
    }
  }

  private static String text(JsonNode node, String where) {
    if (!node.isTextual()) {
      throw new RateLimitConfigException(where + " must be a text, was " + node);
    }
    return node.asText();
  }

  private static long integer(JsonNode node, String where, long absent) {
    if (node == null) {
      return absent;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new RateLimitConfigException(where + " must be an integer, was " + node);
    }
    return node.asLong();
  }

  private static Duration duration(JsonNode node, String where) {
    String text = text(node, where);
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new RateLimitConfigException(
          where + " must be a duration such as 1s or 1h30m: " + e.getMessage(), e);
    }
  }

  private static Algorithm algorithm(JsonNode node, String where) {
    try {
      return Algorithm.fromConfigName(text(node, where));
    } catch (RateLimitConfigException e) {
      throw new RateLimitConfigException(
          where + " " + e.getMessage().replaceFirst("^algorithm ", ""), e);
    }
  }

  private static List<String> strings(JsonNode node, String where) {
    List<String> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (!node.isArray()) {
      throw new RateLimitConfigException(where + " must be an array of texts, was " + node);
    }
    for (JsonNode element : node) {
      out.add(text(element, where + "[" + out.size() + "]"));
    }
    return out;
  }
}
