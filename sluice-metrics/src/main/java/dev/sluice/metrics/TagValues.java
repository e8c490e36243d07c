package dev.sluice.metrics;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Turns the values Sluice reports into tag values from bounded sets. */
final class TagValues {
  /** The tag value of an absent rule, tier or limit. */
  static final String NONE = "none";

  private TagValues() {}

  /** An enum constant as a lower-case tag value: {@code SHADOW_DENIED} is {@code shadow_denied}. */
  static String of(Enum<?> value) {
    return value == null ? NONE : value.name().toLowerCase(Locale.ROOT);
  }

  /** A configured name (rule id, tier), or {@link #NONE} when absent. */
  static String orNone(@Nullable String value) {
    return value == null || value.isEmpty() ? NONE : value;
  }

  /** Checks a name given to a binder, which becomes a tag value. */
  static String requireName(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(key + " must not be blank, was \"" + value + "\"");
    }
    return value;
  }
}
