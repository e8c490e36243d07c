package dev.sluice;

import org.jspecify.annotations.Nullable;

/**
 * A configuration broke a rule: the one type every Sluice config throws, from a builder, a record's
 * constructor or a loader (map, environment, TOML). It carries the key, the rule and the value, and
 * its message says all three: {@code throttle.max-concurrency must be >= 1, was 0}.
 *
 * <p>Catch it to report a bad configuration; nothing half-built is left behind, since every config
 * is validated once, before anything uses it.
 */
public class ConfigException extends SluiceException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String rule;
  private final @Nullable String value;

  /**
   * Creates the exception.
   *
   * @param key the key, such as {@code throttle.max-concurrency}
   * @param rule what the value must be, such as {@code must be >= 1}
   * @param value the value that broke it, shown as {@code String.valueOf} shows it
   */
  public ConfigException(String key, String rule, @Nullable Object value) {
    this(key, rule, value, null);
  }

  /**
   * Creates the exception with the failure that revealed the problem.
   *
   * @param key the key
   * @param rule what the value must be
   * @param value the value that broke it
   * @param cause what failed while reading the value, or {@code null}
   */
  public ConfigException(
      String key, String rule, @Nullable Object value, @Nullable Throwable cause) {
    super(key + " " + rule + ", was " + value, cause);
    this.key = key;
    this.rule = rule;
    this.value = String.valueOf(value);
  }

  private ConfigException(
      String key, String rule, String text, boolean quoted, @Nullable Throwable cause) {
    super(key + " " + rule + ", was " + (quoted ? '"' + text + '"' : text), cause);
    this.key = key;
    this.rule = rule;
    this.value = text;
  }

  /**
   * The exception for a value given as text (a map entry, an environment variable): the message
   * shows the text in double quotes, so an empty or blank value stays visible ({@code
   * throttle.max-concurrency must be an integer, was "many"}); {@link #value()} is the text as
   * given.
   *
   * @param key the key
   * @param rule what the value must be
   * @param text the text that broke it
   * @param cause what failed while reading the text, or {@code null}
   * @return the exception
   */
  public static ConfigException ofText(
      String key, String rule, String text, @Nullable Throwable cause) {
    return new ConfigException(key, rule, text, true, cause);
  }

  /**
   * Creates the exception from a message in the house format {@code KEY RULE, was VALUE}; the key
   * is its first word and the value what follows its last {@code ", was "}.
   *
   * @param message the key, the rule and the value
   */
  public ConfigException(String message) {
    this(message, (Throwable) null);
  }

  /**
   * Creates the exception from a message in the house format, with its cause.
   *
   * @param message the key, the rule and the value
   * @param cause what failed while reading the value, or {@code null}
   */
  public ConfigException(String message, @Nullable Throwable cause) {
    super(message, cause);
    int space = message.indexOf(' ');
    int was = message.lastIndexOf(", was ");
    this.key = space < 0 ? message : message.substring(0, space);
    this.rule = space < 0 ? "" : message.substring(space + 1, was > space ? was : message.length());
    this.value = was < 0 ? null : message.substring(was + ", was ".length());
  }

  /**
   * The key whose value broke the rule.
   *
   * @return the key, such as {@code throttle.max-concurrency}
   */
  public String key() {
    return key;
  }

  /**
   * The rule the value broke.
   *
   * @return the rule, such as {@code must be >= 1}
   */
  public String rule() {
    return rule;
  }

  /**
   * The value as the message shows it.
   *
   * @return the value, or {@code null} when the message names none
   */
  public @Nullable String value() {
    return value;
  }
}
