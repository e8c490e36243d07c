package dev.sluice.redis;

/**
 * Names the Redis keys of one rate-limited key. Every key of one client carries the same hash tag
 * ({@code {...}}), so a decision's script touches a single slot and runs unchanged on Redis
 * Cluster. The client key is escaped inside the tag: {@code %}, <code>{</code> and <code>}</code>
 * become {@code %25}, {@code %7B} and {@code %7D}, and the empty key becomes {@code %} (which no
 * escaped key can be), so a tag is never empty or cut short and two clients never share state.
 */
final class RedisKeys {
  private final String prefix;

  RedisKeys(String prefix) {
    this.prefix = prefix;
  }

  /** The hash-tagged stem shared by every key of {@code key}. */
  String stem(String key) {
    return prefix + "{" + tag(key) + "}:";
  }

  static String tag(String key) {
    if (key.isEmpty()) {
      return "%";
    }
    if (key.indexOf('%') < 0 && key.indexOf('{') < 0 && key.indexOf('}') < 0) {
      return key;
    }
    StringBuilder out = new StringBuilder(key.length() + 8);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      switch (c) {
        case '%' -> out.append("%25");
        case '{' -> out.append("%7B");
        case '}' -> out.append("%7D");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
