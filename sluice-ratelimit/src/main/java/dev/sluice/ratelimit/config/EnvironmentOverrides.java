package dev.sluice.ratelimit.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.ConfigException;
import dev.sluice.internal.ConfigText;
import dev.sluice.ratelimit.RateLimitConfigException;
import java.util.ArrayList;
import java.util.List;
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
      String childEnv = ConfigText.variable(envName, field);
      String childPath = path.isEmpty() ? field : path + "." + field;
      JsonNode child = node.get(field);
      if (child.isObject()) {
        walkObject((ObjectNode) child, childEnv, childPath, env);
      } else if (child.isArray() && isTableArray(child)) {
        for (JsonNode element : child) {
          String id = element.path("id").asText("");
          String elementEnv = ConfigText.variable(childEnv, id);
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
    try {
      if (original.isIntegralNumber()) {
        return nodes.numberNode(ConfigText.longInteger(where, value));
      }
      if (original.isBoolean()) {
        return nodes.booleanNode(ConfigText.flag(where, value));
      }
    } catch (ConfigException e) {
      throw new RateLimitConfigException(e.getMessage(), e);
    }
    if (original.isArray()) {
      ArrayNode array = nodes.arrayNode();
      ConfigText.list(value).forEach(array::add);
      return array;
    }
    return nodes.textNode(value);
  }
}
