package dev.sluice.ratelimit.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.ratelimit.RateLimitConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Replaces values of a parsed configuration tree with environment variables. A value at {@code
 * penalty.max-cooldown} is overridden by {@code SLUICE_RATELIMIT_PENALTY_MAX_COOLDOWN}: the prefix,
 * then the keys upper-cased with {@code -} and {@code .} as {@code _}; an entry of an array of
 * tables is addressed by its {@code id} ({@code rules} entry {@code api} becomes {@code
 * RULES_API}). Only values present in the file can be overridden; a list of strings is given
 * comma-separated.
 */
final class EnvironmentOverrides {
  static final String PREFIX = "SLUICE_RATELIMIT";

  private EnvironmentOverrides() {}

  static void apply(ObjectNode root, Map<String, String> env) {
    if (!env.isEmpty()) {
      walkObject(root, PREFIX, "", env);
    }
  }

  private static void walkObject(
      ObjectNode node, String envName, String path, Map<String, String> env) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    for (String field : names) {
      String childEnv =
          envName + "_" + field.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
      String childPath = path.isEmpty() ? field : path + "." + field;
      JsonNode child = node.get(field);
      if (child.isObject()) {
        walkObject((ObjectNode) child, childEnv, childPath, env);
      } else if (child.isArray() && isTableArray(child)) {
        for (JsonNode element : child) {
          String id = element.path("id").asText("");
          String elementEnv =
              childEnv + "_" + id.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
          walkObject((ObjectNode) element, elementEnv, childPath + "[" + id + "]", env);
        }
      } else {
        String value = env.get(childEnv);
        if (value != null) {
          node.set(field, convert(child, value, childEnv, childPath));
        }
      }
    }
  }

  private static boolean isTableArray(JsonNode array) {
    if (array.isEmpty()) {
      return false;
    }
    for (JsonNode element : array) {
      if (!element.isObject() || !element.hasNonNull("id")) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode convert(JsonNode original, String value, String envName, String path) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    String where = envName + " (" + path + ")";
    if (original.isIntegralNumber()) {
      try {
        return nodes.numberNode(Long.parseLong(value.trim()));
      } catch (NumberFormatException e) {
        throw new RateLimitConfigException(where + " must be an integer, was \"" + value + "\"", e);
      }
    }
    if (original.isBoolean()) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      if (!v.equals("true") && !v.equals("false")) {
        throw new RateLimitConfigException(where + " must be true or false, was \"" + value + "\"");
      }
      return nodes.booleanNode(v.equals("true"));
    }
    if (original.isArray()) {
      ArrayNode array = nodes.arrayNode();
      for (String part : value.split(",", -1)) {
        if (!part.isBlank()) {
          array.add(part.trim());
        }
      }
      return array;
    }
    return nodes.textNode(value);
  }
}
