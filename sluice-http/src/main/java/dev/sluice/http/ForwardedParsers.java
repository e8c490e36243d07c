package dev.sluice.http;

import dev.sluice.ratelimit.policy.IpLiteral;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Splits forwarding headers into hops, left to right. A hop is the parsed address (4 or 16 bytes)
 * or null when the entry is not an address literal (garbage, {@code unknown}, an obfuscated {@code
 * _id}, a host name). Never throws; never resolves names.
 */
final class ForwardedParsers {
  /** Entries past this count are ignored from the left (the forgeable side). */
  static final int MAX_HOPS = 64;

  private ForwardedParsers() {}

  /** The hops of every {@code X-Forwarded-For} line, lines in order. */
  static List<byte[]> xForwardedFor(List<String> lines) {
    List<byte[]> hops = new ArrayList<>();
    for (String line : lines) {
      if (line == null) {
        continue;
      }
      int start = 0;
      for (int i = 0; i <= line.length(); i++) {
        if (i == line.length() || line.charAt(i) == ',') {
          String entry = line.substring(start, i).trim();
          if (!entry.isEmpty()) {
            hops.add(node(entry, false));
          }
          start = i + 1;
        }
      }
    }
    return keepRight(hops);
  }

  /** The {@code for=} hops of every RFC 7239 {@code Forwarded} line, lines in order. */
  static List<byte[]> forwarded(List<String> lines) {
    List<byte[]> hops = new ArrayList<>();
    for (String line : lines) {
      if (line == null) {
        continue;
      }
      for (String element : split(line, ',')) {
        if (element.isBlank()) {
          continue;
        }
        byte[] hop = null;
        for (String pair : split(element, ';')) {
          int eq = pair.indexOf('=');
          if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase("for")) {
            String value = unquote(pair.substring(eq + 1).trim());
            hop = value == null ? null : node(value, true);
            break;
          }
        }
        hops.add(hop); // an element without for= is a hop we cannot see past
      }
    }
    return keepRight(hops);
  }

  private static List<byte[]> keepRight(List<byte[]> hops) {
    return hops.size() <= MAX_HOPS ? hops : hops.subList(hops.size() - MAX_HOPS, hops.size());
  }

  /** Splits on a separator outside quoted strings. */
  private static List<String> split(String text, char separator) {
    List<String> parts = new ArrayList<>();
    boolean quoted = false;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted && c == '\\') {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == separator) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(Math.min(start, text.length())));
    return parts;
  }

  /** A token as is, or a quoted string's content; null when the quoting is broken. */
  private static @Nullable String unquote(String value) {
    if (value.isEmpty() || value.charAt(0) != '"') {
      return value;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length()) {
        out.append(value.charAt(++i));
      } else if (c == '"') {
        return i == value.length() - 1 ? out.toString() : null;
      } else {
        out.append(c);
      }
    }
    return null;
  }

  /**
   * Parses one node: {@code a.b.c.d}, {@code a.b.c.d:port}, {@code [v6]}, {@code [v6]:port}, and
   * (in X-Forwarded-For only) bare IPv6. Zones ({@code %eth0}) are dropped.
   */
  static byte @Nullable [] node(String text, boolean bracketsRequiredForV6) {
    if (text.length() > 64) {
      return null;
    }
    String address;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        return null;
      }
      String rest = text.substring(close + 1);
      if (!rest.isEmpty() && !validPort(rest)) {
        return null;
      }
      address = text.substring(1, close);
      if (address.indexOf(':') < 0) {
        return null;
      }
    } else {
      int colon = text.indexOf(':');
      if (colon >= 0 && text.indexOf(':', colon + 1) < 0) {
        if (!validPort(text.substring(colon))) {
          return null;
        }
        address = text.substring(0, colon); // IPv4 with a port
        if (address.indexOf('.') < 0) {
          return null;
        }
      } else if (colon >= 0) {
        if (bracketsRequiredForV6) {
          return null;
        }
        address = text;
      } else {
        address = text;
      }
    }
    int zone = address.indexOf('%');
    if (zone >= 0) {
      address = address.substring(0, zone);
    }
    return IpLiteral.parse(address);
  }

  private static boolean validPort(String text) {
    // ":" then 1-5 digits; RFC 7239 also allows an obfuscated "_port", which says nothing here
    if (text.length() < 2 || text.length() > 6 || text.charAt(0) != ':') {
      return text.length() > 1 && text.charAt(0) == ':' && text.charAt(1) == '_';
    }
    for (int i = 1; i < text.length(); i++) {
      if (!Character.isDigit(text.charAt(i)) || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
