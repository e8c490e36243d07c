package dev.sluice.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small JSON Schema subset (type, required, properties, items, const, minimum), enough for the
 * schema in the test resources.
 */
final class SchemaCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SchemaCheck() {}

  static List<String> violations(String resource, String document) throws Exception {
    JsonNode schema;
    try (InputStream in = SchemaCheck.class.getResourceAsStream(resource)) {
      schema = JSON.readTree(in);
    }
    List<String> out = new ArrayList<>();
    check(schema, JSON.readTree(document), "$", out);
    return out;
  }

  private static void check(JsonNode schema, JsonNode value, String at, List<String> out) {
    String type = schema.path("type").asText(null);
    if (type != null && !typeMatches(type, value)) {
      out.add(at + " must be " + type + ", was " + value);
      return;
    }
    if (schema.has("const") && !schema.get("const").equals(value)) {
      out.add(at + " must be " + schema.get("const") + ", was " + value);
    }
    if (schema.has("minimum") && value.asLong() < schema.get("minimum").asLong()) {
      out.add(at + " must be >= " + schema.get("minimum") + ", was " + value);
    }
    for (JsonNode name : schema.path("required")) {
      if (!value.has(name.asText())) {
        out.add(at + "." + name.asText() + " is required");
      }
    }
    for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
      if (value.has(p.getKey())) {
        check(p.getValue(), value.get(p.getKey()), at + "." + p.getKey(), out);
      }
    }
    if (schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        check(schema.get("items"), value.get(i), at + "[" + i + "]", out);
      }
    }
  }

  private static boolean typeMatches(String type, JsonNode value) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      default -> true;
    };
  }
}
