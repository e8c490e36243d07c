package dev.sluice.gateway;

/** problem+json bodies (RFC 9457) of the gateway's own answers. */
final class Problems {
  static final String MEDIA_TYPE = "application/problem+json";

  private Problems() {}

  static String body(int status, String title, String detail) {
    return "{\"type\":\"about:blank\",\"title\":\""
        + escape(title)
        + "\",\"status\":"
        + status
        + ",\"detail\":\""
        + escape(detail)
        + "\"}";
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
