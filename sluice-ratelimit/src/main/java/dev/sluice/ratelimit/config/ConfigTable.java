package dev.sluice.ratelimit.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.sluice.ConfigException;
import dev.sluice.internal.ConfigText;
import dev.sluice.ratelimit.RateLimitConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One table of a parsed TOML configuration, with the path it sits at, read strictly: every Sluice
 * TOML file (rate limits, the HTTP layer, the gateway) reads its values through it, so a value of
 * the wrong type or an unknown key is refused the same way everywhere, with a {@link
 * RateLimitConfigException} that names the key, the rule and the value ({@code gateway.listen must
 * be a non-empty text, was 8080}).
 *
 * <pre>{@code
 * ConfigTable gateway = ConfigTable.of(root.get("gateway"), "gateway").onlyKeys(GATEWAY_KEYS);
 * Duration timeout = gateway.duration("connect-timeout", Duration.ofSeconds(2));
 * }</pre>
 *
 * <p>Absent keys take the default the caller gives; the one-argument forms require the key.
 */
public final class ConfigTable {
  private static final TomlMapper MAPPER = new TomlMapper();

  private final ObjectNode node;
  private final String where;

  private ConfigTable(ObjectNode node, String where) {
    this.node = node;
    this.where = where;
  }

  /**
   * The top of a file.
   *
   * @param root the parsed file
   * @return its table, at the empty path
   */
  public static ConfigTable root(ObjectNode root) {
    return new ConfigTable(root, "");
  }

  /**
   * A table found in a file.
   *
   * @param node the value, or {@code null} when the table is absent (read as empty)
   * @param where its path, such as {@code gateway} or {@code rules[api]}
   * @return the table
   * @throws RateLimitConfigException if the value is not a table
   */
  public static ConfigTable of(@Nullable JsonNode node, String where) {
    if (node == null) {
      return new ConfigTable(JsonNodeFactory.instance.objectNode(), where);
    }
    if (!(node instanceof ObjectNode object)) {
      throw new RateLimitConfigException(where + " must be a table, was " + node);
    }
    return new ConfigTable(object, where);
  }

  /**
   * A table handed over as plain values (texts, numbers, booleans, lists, maps).
   *
   * @param values the values, such as {@link RateLimitConfig#http()}
   * @param where its path, such as {@code http}
   * @return the table
   */
  public static ConfigTable of(Map<String, ?> values, String where) {
    JsonNode tree = MAPPER.valueToTree(values);
    return of(tree, where);
  }

  /**
   * The path of this table.
   *
   * @return such as {@code rules[api]}, empty at the top of a file
   */
  public String where() {
    return where;
  }

  /**
   * The path of one of its keys.
   *
   * @param key the key
   * @return such as {@code rules[api].path}
   */
  public String at(String key) {
    return where.isEmpty() ? key : where + "." + key;
  }

  /**
   * Whether a key is set.
   *
   * @param key the key
   * @return {@code true} if the table has a value for it
   */
  public boolean has(String key) {
    return node.has(key);
  }

  /**
   * The raw value of a key, for the rare value no typed reader fits.
   *
   * @param key the key
   * @return the value, or {@code null} when absent
   */
  public @Nullable JsonNode get(String key) {
    return node.get(key);
  }

  /**
   * The table as plain values (texts, numbers, booleans, lists, maps), for a layer that reads it
   * later.
   *
   * @return a new mutable map of the table's values
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> values() {
    return MAPPER.convertValue(node, Map.class);
  }

  /**
   * Refuses any key not in the allowed set.
   *
   * @param allowed the keys this table may have
   * @return this table
   * @throws RateLimitConfigException naming the first unknown key and the known ones
   */
  public ConfigTable onlyKeys(Set<String> allowed) {
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String key = entry.getKey();
      if (!allowed.contains(key)) {
        throw new RateLimitConfigException(
            at(key)
                + " is not a known key (known here: "
                + String.join(", ", new TreeSet<>(allowed))
                + ")");
      }
    }
    return this;
  }

  /**
   * A table inside this one.
   *
   * @param key its key
   * @return the table, empty when absent
   * @throws RateLimitConfigException if the value is not a table
   */
  public ConfigTable table(String key) {
    return of(node.get(key), at(key));
  }

  /**
   * Every value of this table as a table of its own, by key, such as the tiers of {@code [tiers]}.
   *
   * @return the tables at {@code where[key]}, in file order
   * @throws RateLimitConfigException if a value is not a table
   */
  public Map<String, ConfigTable> tables() {
    Map<String, ConfigTable> tables = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      tables.put(entry.getKey(), of(entry.getValue(), where + "[" + entry.getKey() + "]"));
    }
    return tables;
  }

  /**
   * An array of tables ({@code [[rules]]}); each is addressed by its {@code id} when it has a text
   * one, by its index otherwise: {@code rules[api]}, {@code rules[0]}.
   *
   * @param key the array's key
   * @return the tables, empty when absent
   * @throws RateLimitConfigException if the value is not an array of tables
   */
  public List<ConfigTable> array(String key) {
    JsonNode value = node.get(key);
    List<ConfigTable> tables = new ArrayList<>();
    if (value == null) {
      return tables;
    }
    if (!value.isArray()) {
      throw error(key, "must be an array of tables", value);
    }
    for (JsonNode element : value) {
      JsonNode id = element.get("id");
      String name = id != null && id.isTextual() ? id.asText() : String.valueOf(tables.size());
      tables.add(of(element, at(key) + "[" + name + "]"));
    }
    return tables;
  }

  /**
   * A required text.
   *
   * @param key the key
   * @return the text, never blank
   * @throws RateLimitConfigException if absent, not a text, or blank
   */
  public String text(String key) {
    String text = text(key, null);
    if (text == null) {
      throw new RateLimitConfigException(at(key) + " must be set");
    }
    return text;
  }

  /**
   * An optional text.
   *
   * @param key the key
   * @param absent the value when the key is absent
   * @return the text, never blank, or {@code absent}
   * @throws RateLimitConfigException if not a text, or blank
   */
  public @Nullable String text(String key, @Nullable String absent) {
    JsonNode value = node.get(key);
    if (value == null) {
      return absent;
    }
    return text(value, at(key));
  }

  /**
   * An optional text from a fixed set, compared without case.
   *
   * @param key the key
   * @param absent the value when the key is absent
   * @param choices the allowed values, in lower case, in the order messages list them
   * @return the choice given, in lower case, or {@code absent}
   * @throws RateLimitConfigException if the text is none of them
   */
  public String choice(String key, String absent, String... choices) {
    String text = text(key, absent);
    String lower = text.toLowerCase(Locale.ROOT);
    for (String choice : choices) {
      if (choice.equals(lower)) {
        return choice;
      }
    }
    throw error(key, "must be " + alternatives(choices), node.get(key));
  }

  /**
   * An optional integer.
   *
   * @param key the key
   * @param absent the value when the key is absent
   * @return the value
   * @throws RateLimitConfigException if not an integer in {@code long} range
   */
  public long longValue(String key, long absent) {
    JsonNode value = node.get(key);
    if (value == null) {
      return absent;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw error(key, "must be an integer", value);
    }
    return value.asLong();
  }

  /**
   * An optional integer in {@code int} range.
   *
   * @param key the key
   * @param absent the value when the key is absent
   * @return the value
   * @throws RateLimitConfigException if not an integer in {@code int} range
   */
  public int intValue(String key, int absent) {
    long value = longValue(key, absent);
    if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
      throw error(key, "must be <= " + Integer.MAX_VALUE, node.get(key));
    }
    return (int) value;
  }

  /**
   * An optional boolean.
   *
   * @param key the key
   * @param absent the value when the key is absent
   * @return the value
   * @throws RateLimitConfigException if not {@code true} or {@code false}
   */
  public boolean flag(String key, boolean absent) {
    JsonNode value = node.get(key);
    if (value == null) {
      return absent;
    }
    if (!value.isBoolean()) {
      throw error(key, "must be true or false", value);
    }
    return value.booleanValue();
  }

  /**
   * A required duration, written as a text in the house syntax ({@code 250ms}, {@code 1h30m}).
   *
   * @param key the key
   * @return the duration
   * @throws RateLimitConfigException if absent or not such a duration
   */
  public Duration duration(String key) {
    try {
      return ConfigText.duration(at(key), text(key));
    } catch (RateLimitConfigException e) {
      throw e;
    } catch (ConfigException e) {
      throw new RateLimitConfigException(e.getMessage(), e);
    }
  }

  /**
   * An optional duration.
   *
   * @param key the key
   * @param absent the value when the key is absent
   * @return the duration, or {@code absent}
   * @throws RateLimitConfigException if not such a duration
   */
  public Duration duration(String key, Duration absent) {
    return has(key) ? duration(key) : absent;
  }

  /**
   * An optional array of texts.
   *
   * @param key the key
   * @return the texts, empty when absent
   * @throws RateLimitConfigException if not an array of non-blank texts
   */
  public List<String> texts(String key) {
    JsonNode value = node.get(key);
    List<String> texts = new ArrayList<>();
    if (value == null) {
      return texts;
    }
    if (!value.isArray()) {
      throw error(key, "must be an array of texts", value);
    }
    for (JsonNode element : value) {
      texts.add(text(element, at(key) + "[" + texts.size() + "]"));
    }
    return texts;
  }

  /**
   * The error for a value of this table that breaks a rule.
   *
   * @param key the key
   * @param rule such as {@code must be >= 1}
   * @param value the value as found
   * @return the exception, naming {@code where.key}, the rule and the value
   */
  public RateLimitConfigException error(String key, String rule, @Nullable Object value) {
    return new RateLimitConfigException(at(key) + " " + rule + ", was " + value);
  }

  private static String text(JsonNode value, String at) {
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new RateLimitConfigException(at + " must be a non-empty text, was " + value);
    }
    return value.asText();
  }

  private static String alternatives(String... choices) {
    if (choices.length > 3) {
      return "one of " + String.join(", ", choices);
    }
    if (choices.length == 1) {
      return choices[0];
    }
    return String.join(", ", List.of(choices).subList(0, choices.length - 1))
        + " or "
        + choices[choices.length - 1];
  }
}
