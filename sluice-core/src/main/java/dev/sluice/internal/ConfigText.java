package dev.sluice.internal;

import dev.sluice.ConfigException;
import dev.sluice.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads setting values given as text (a map of settings, an environment variable, a TOML string)
 * and names environment variables after setting keys, the same way for every config of every
 * module. A value that cannot be read fails with a {@link ConfigException} naming the key, the rule
 * and the value as given: {@code throttle.max-concurrency must be an integer, was "many"}. Not part
 * of the public API.
 */
public final class ConfigText {
  private ConfigText() {}

  /**
   * The environment variable of a key: upper case, with {@code -} and {@code .} as {@code _}.
   *
   * @param prefix such as {@code SLUICE_THROTTLE}, with or without its final {@code _}
   * @param key such as {@code max-concurrency}
   * @return such as {@code SLUICE_THROTTLE_MAX_CONCURRENCY}
   */
  public static String variable(String prefix, String key) {
    return (prefix.endsWith("_") ? prefix : prefix + "_") + upperSnake(key);
  }

  /**
   * A key (or a part of one, such as a rule id) as it appears in an environment variable.
   *
   * @param key such as {@code penalty.max-cooldown}
   * @return such as {@code PENALTY_MAX_COOLDOWN}
   */
  public static String upperSnake(String key) {
    return key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  /**
   * An {@code int}.
   *
   * @param key the key the message names
   * @param text the value, surrounding blanks ignored
   * @return the value
   * @throws ConfigException if the text is not an integer in {@code int} range
   */
  public static int integer(String key, String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw ConfigException.ofText(key, "must be an integer", text, e);
    }
  }

  /**
   * A {@code long}.
   *
   * @param key the key the message names
   * @param text the value, surrounding blanks ignored
   * @return the value
   * @throws ConfigException if the text is not an integer in {@code long} range
   */
  public static long longInteger(String key, String text) {
    try {
      return Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw ConfigException.ofText(key, "must be an integer", text, e);
    }
  }

  /**
   * A finite decimal number.
   *
   * @param key the key the message names
   * @param text the value, surrounding blanks ignored
   * @return the value
   * @throws ConfigException if the text is not a finite number
   */
  public static double decimal(String key, String text) {
    double parsed;
    try {
      parsed = Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      throw ConfigException.ofText(key, "must be a decimal number", text, e);
    }
    if (!Double.isFinite(parsed)) {
      throw ConfigException.ofText(key, "must be a finite decimal number", text, null);
    }
    return parsed;
  }

  /**
   * {@code true} or {@code false}, in any case.
   *
   * @param key the key the message names
   * @param text the value, surrounding blanks ignored
   * @return the value
   * @throws ConfigException if the text is neither
   */
  public static boolean flag(String key, String text) {
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw ConfigException.ofText(key, "must be true or false", text, null);
    };
  }

  /**
   * A duration in the house syntax ({@code 250ms}, {@code 10s}, {@code 1h30m}).
   *
   * @param key the key the message names
   * @param text the value, surrounding blanks ignored
   * @return the value
   * @throws ConfigException if the text is not such a duration
   */
  public static Duration duration(String key, String text) {
    try {
      return Durations.parse(text.strip());
    } catch (IllegalArgumentException e) {
      throw ConfigException.ofText(key, "must be a duration such as 250ms, 10s or 1h30m", text, e);
    }
  }

  /**
   * A comma-separated list; blank items are dropped, the others stripped.
   *
   * @param text such as {@code a, b,c}
   * @return such as {@code [a, b, c]}
   */
  public static List<String> list(String text) {
    List<String> items = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      if (!part.isBlank()) {
        items.add(part.strip());
      }
    }
    return items;
  }
}
