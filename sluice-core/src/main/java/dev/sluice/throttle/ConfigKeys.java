package dev.sluice.throttle;

import dev.sluice.ConfigException;
import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.internal.ConfigText;
import dev.sluice.time.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/** The kebab-case keys of {@link ThrottleConfig} and the loaders that read them into a builder. */
final class ConfigKeys {
  private static final String TOKENS = "token-budget.tokens";
  private static final String WINDOW = "token-budget.window";
  private static final String BREAKER = "circuit-breaker.";
  private static final List<String> BREAKER_KEYS =
      List.of(
          "circuit-breaker.consecutive-failures",
          "circuit-breaker.open-delay",
          "circuit-breaker.max-open-delay",
          "circuit-breaker.half-open-probes");

  /** Key to how its text value is applied; the budget's two keys are applied together. */
  private static final Map<String, BiConsumer<ThrottleConfig.Builder, String>> SETTERS =
      new TreeMap<>();

  static {
    SETTERS.put("max-concurrency", (b, v) -> b.maxConcurrency(integer("max-concurrency", v)));
    SETTERS.put(
        "initial-concurrency", (b, v) -> b.initialConcurrency(integer("initial-concurrency", v)));
    SETTERS.put("initial-rate", (b, v) -> b.initialRate(decimal("initial-rate", v)));
    SETTERS.put(
        "min-dispatch-interval",
        (b, v) -> b.minDispatchInterval(duration("min-dispatch-interval", v)));
    SETTERS.put(
        "max-dispatch-interval",
        (b, v) -> b.maxDispatchInterval(duration("max-dispatch-interval", v)));
    SETTERS.put("jitter-fraction", (b, v) -> b.jitterFraction(decimal("jitter-fraction", v)));
    SETTERS.put("failure-threshold", (b, v) -> b.failureThreshold(integer("failure-threshold", v)));
    SETTERS.put("failure-window", (b, v) -> b.failureWindow(duration("failure-window", v)));
    SETTERS.put("cooling-period", (b, v) -> b.coolingPeriod(duration("cooling-period", v)));
    SETTERS.put(
        "safe-ceiling-decay", (b, v) -> b.safeCeilingDecay(duration("safe-ceiling-decay", v)));
    SETTERS.put("total-tasks", (b, v) -> b.totalTasks(longInteger("total-tasks", v)));
    SETTERS.put(TOKENS, (b, v) -> {});
    SETTERS.put(WINDOW, (b, v) -> {});
    for (String key : BREAKER_KEYS) {
      SETTERS.put(key, (b, v) -> {});
    }
  }

  private ConfigKeys() {}

  /** Every key {@link ThrottleConfig#fromMap} understands, sorted. */
  static Set<String> keys() {
    return new TreeSet<>(SETTERS.keySet());
  }

  static ThrottleConfig fromMap(Map<String, String> settings) {
    Objects.requireNonNull(settings, "settings");
    ThrottleConfig.Builder builder = ThrottleConfig.builder();
    for (Map.Entry<String, String> entry : settings.entrySet()) {
      String key = entry.getKey();
      BiConsumer<ThrottleConfig.Builder, String> setter = SETTERS.get(key);
      if (setter == null) {
        throw new ConfigException(
            "throttle." + key + " is not a setting; known keys: " + String.join(", ", keys()));
      }
      if (entry.getValue() == null) {
        throw new ConfigException("throttle." + key + " must have a value, was null");
      }
      setter.accept(builder, entry.getValue().strip());
    }
    String tokens = settings.get(TOKENS);
    String window = settings.get(WINDOW);
    if ((tokens == null) != (window == null)) {
      String missing = tokens == null ? TOKENS : WINDOW;
      throw new ConfigException(
          "throttle." + missing + " must be set together with the other token-budget key");
    }
    if (tokens != null) {
      builder.tokenBudget(
          new TokenBudget(longInteger(TOKENS, tokens.strip()), duration(WINDOW, window.strip())));
    }
    if (BREAKER_KEYS.stream().anyMatch(settings::containsKey)) {
      builder.circuitBreaker(breaker(settings));
    }
    return builder.build();
  }

  /** The breaker's settings; keys not given keep the breaker's own defaults. */
  private static CircuitBreakerConfig breaker(Map<String, String> settings) {
    try {
      return breakerOrThrow(settings);
    } catch (ConfigException | IllegalArgumentException e) {
      throw new ConfigException("throttle.circuit-breaker: " + e.getMessage(), e);
    }
  }

  private static CircuitBreakerConfig breakerOrThrow(Map<String, String> settings) {
    CircuitBreakerConfig.Builder breaker = CircuitBreakerConfig.builder();
    String value;
    if ((value = settings.get(BREAKER_KEYS.get(0))) != null) {
      breaker.consecutiveFailures(integer(BREAKER_KEYS.get(0), value.strip()));
    }
    if ((value = settings.get(BREAKER_KEYS.get(1))) != null) {
      breaker.openDelay(duration(BREAKER_KEYS.get(1), value.strip()));
    }
    if ((value = settings.get(BREAKER_KEYS.get(2))) != null) {
      breaker.maxOpenDelay(duration(BREAKER_KEYS.get(2), value.strip()));
    }
    if ((value = settings.get(BREAKER_KEYS.get(3))) != null) {
      breaker.halfOpenProbes(integer(BREAKER_KEYS.get(3), value.strip()));
    }
    return breaker.build();
  }

  static Map<String, String> toMap(ThrottleConfig config) {
    Map<String, String> map = new TreeMap<>();
    map.put("max-concurrency", Integer.toString(config.maxConcurrency()));
    map.put("initial-concurrency", Integer.toString(config.initialConcurrency()));
    map.put("initial-rate", Double.toString(config.initialRate()));
    map.put("min-dispatch-interval", Durations.format(config.minDispatchInterval()));
    map.put("max-dispatch-interval", Durations.format(config.maxDispatchInterval()));
    map.put("jitter-fraction", Double.toString(config.jitterFraction()));
    map.put("failure-threshold", Integer.toString(config.failureThreshold()));
    map.put("failure-window", Durations.format(config.failureWindow()));
    map.put("cooling-period", Durations.format(config.coolingPeriod()));
    map.put("safe-ceiling-decay", Durations.format(config.safeCeilingDecay()));
    map.put("total-tasks", Long.toString(config.totalTasks()));
    if (config.tokenBudget() != null) {
      map.put(TOKENS, Long.toString(config.tokenBudget().tokens()));
      map.put(WINDOW, Durations.format(config.tokenBudget().window()));
    }
    CircuitBreakerConfig breaker = config.circuitBreaker();
    if (breaker != null) {
      map.put(BREAKER_KEYS.get(0), Integer.toString(breaker.consecutiveFailures()));
      map.put(BREAKER_KEYS.get(1), Durations.format(breaker.openDelay()));
      map.put(BREAKER_KEYS.get(2), Durations.format(breaker.maxOpenDelay()));
      map.put(BREAKER_KEYS.get(3), Integer.toString(breaker.halfOpenProbes()));
    }
    return map;
  }

  static ThrottleConfig fromEnv(String prefix, Map<String, String> environment) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(environment, "environment");
    String start = prefix.endsWith("_") ? prefix : prefix + "_";
    Map<String, String> byVariable = new TreeMap<>();
    for (String key : SETTERS.keySet()) {
      byVariable.put(ConfigText.variable(start, key), key);
    }
    Map<String, String> settings = new TreeMap<>();
    for (Map.Entry<String, String> entry : environment.entrySet()) {
      String variable = entry.getKey();
      if (!variable.startsWith(start)) {
        continue;
      }
      String key = byVariable.get(variable);
      if (key == null) {
        throw new ConfigException(
            variable + " is not a throttle setting; known variables: " + byVariable.keySet());
      }
      settings.put(key, entry.getValue());
    }
    try {
      return fromMap(settings);
    } catch (ConfigException | IllegalArgumentException e) {
      throw new ConfigException(renameKeys(e.getMessage(), start), e);
    }
  }

  /** Rewrites {@code throttle.some-key} in a message to the variable the user actually set. */
  private static String renameKeys(String message, String start) {
    String result = message;
    for (String key : SETTERS.keySet()) {
      result = result.replace("throttle." + key + " ", ConfigText.variable(start, key) + " ");
    }
    return result;
  }

  private static int integer(String key, String value) {
    return ConfigText.integer("throttle." + key, value);
  }

  private static long longInteger(String key, String value) {
    return ConfigText.longInteger("throttle." + key, value);
  }

  private static double decimal(String key, String value) {
    return ConfigText.decimal("throttle." + key, value);
  }

  private static Duration duration(String key, String value) {
    return ConfigText.duration("throttle." + key, value);
  }
}
