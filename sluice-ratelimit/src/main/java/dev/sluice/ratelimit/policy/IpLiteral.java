package dev.sluice.ratelimit.policy;

import org.jspecify.annotations.Nullable;

/**
 * Parses IP address literals without ever asking DNS: dotted-quad IPv4, and IPv6 with {@code ::}
 * compression and an optional embedded IPv4 tail. IPv4-mapped IPv6 addresses ({@code
 * ::ffff:a.b.c.d}) are returned as their IPv4 form, so one client has one identity.
 */
public final class IpLiteral {
  private IpLiteral() {}

  /**
   * Parses a literal.
   *
   * @param text such as {@code 192.0.2.1} or {@code 2001:db8::1}
   * @return 4 bytes for IPv4, 16 for IPv6, or null when the text is not a literal
   */
  public static byte @Nullable [] parse(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    byte[] bytes = text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
    if (bytes != null && bytes.length == 16 && isV4Mapped(bytes)) {
      byte[] v4 = new byte[4];
      System.arraycopy(bytes, 12, v4, 0, 4);
      return v4;
    }
    return bytes;
  }

  /**
   * Writes an address in canonical text: dotted quad for IPv4, RFC 5952 for IPv6 (lower case, no
   * leading zeros, the longest run of two or more zero groups as {@code ::}).
   *
   * @param bytes 4 or 16 bytes
   * @return the text
   * @throws IllegalArgumentException if the array is not 4 or 16 bytes long
   */
  public static String format(byte[] bytes) {
    if (bytes.length == 4) {
      return (bytes[0] & 0xff)
          + "."
          + (bytes[1] & 0xff)
          + "."
          + (bytes[2] & 0xff)
          + "."
          + (bytes[3] & 0xff);
    }
    if (bytes.length != 16) {
      throw new IllegalArgumentException("address must be 4 or 16 bytes, was " + bytes.length);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && bytes[2 * j] == 0 && bytes[2 * j + 1] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff)));
    }
    return out.toString();
  }

  private static boolean isV4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  private static byte @Nullable [] parseV4(String text) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : '.';
      if (c >= '0' && c <= '9') {
        if (digits > 0 && value == 0) {
          return null; // no leading zeros: 010 is octal to some parsers, decimal to others
        }
        value = (value < 0 ? 0 : value) * 10 + (c - '0');
        if (++digits > 3 || value > 255) {
          return null;
        }
      } else if (c == '.') {
        if (digits == 0 || part == 4) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
        digits = 0;
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  private static byte @Nullable [] parseV6(String text) {
    byte[] out = new byte[16];
    int gap = -1;
    int pos = 0;
    int i = 0;
    int n = text.length();
    if (text.startsWith("::")) {
      gap = 0;
      i = 2;
      if (n == 2) {
        return out;
      }
    } else if (text.startsWith(":")) {
      return null;
    }
    while (i < n) {
      int end = i;
      while (end < n && text.charAt(end) != ':') {
        end++;
      }
      String group = text.substring(i, end);
      if (group.indexOf('.') >= 0) {
        byte[] v4 = end == n && pos <= 12 ? parseV4(group) : null;
        if (v4 == null) {
          return null;
        }
        System.arraycopy(v4, 0, out, pos, 4);
        pos += 4;
        i = end;
        break;
      }
      if (group.isEmpty() || group.length() > 4 || pos >= 16) {
        return null;
      }
      int value = 0;
      for (int k = 0; k < group.length(); k++) {
        int digit = Character.digit(group.charAt(k), 16);
        if (digit < 0) {
          return null;
        }
        value = value * 16 + digit;
      }
      out[pos++] = (byte) (value >> 8);
      out[pos++] = (byte) value;
      if (end == n) {
        i = end;
        break;
      }
      // end points at ':'
      if (end + 1 < n && text.charAt(end + 1) == ':') {
        if (gap >= 0) {
          return null;
        }
        gap = pos;
        i = end + 2;
      } else if (end + 1 == n) {
        return null; // trailing single colon
      } else {
        i = end + 1;
      }
    }
    if (gap < 0) {
      return pos == 16 ? out : null;
    }
    if (pos == 16) {
      return null; // '::' must stand for at least one group
    }
    int tail = pos - gap;
    System.arraycopy(out, gap, out, 16 - tail, tail);
    for (int k = gap; k < 16 - tail; k++) {
      out[k] = 0;
    }
    return out;
  }
}
