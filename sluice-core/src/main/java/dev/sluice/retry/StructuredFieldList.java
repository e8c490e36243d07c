package dev.sluice.retry;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A parser for Structured Field lists (RFC 9651 section 4.2.1), enough for the IETF RateLimit
 * fields: items with parameters. Bare items become {@link Long} (integer), {@link BigDecimal}
 * (decimal), {@link String} (string), {@link Token}, {@link Bytes} or {@link Boolean}; inner lists
 * are parsed and reported as {@link InnerList}. A syntax error anywhere fails the whole field, as
 * the RFC asks: {@link #parse} then returns {@code null}. Never throws.
 */
final class StructuredFieldList {
  /** A member of the list: its bare value and its parameters in order. */
  record Member(Object value, Map<String, Object> parameters) {}

  /** An sf-token, kept apart from an sf-string. */
  record Token(String text) {}

  /** An sf-binary, kept as its base64 text. */
  record Bytes(String base64) {}

  /** An inner list, which the RateLimit fields never use. */
  record InnerList(List<Object> items) {}

  private final String input;
  private int pos;

  private StructuredFieldList(String input) {
    this.input = input;
  }

  static @Nullable List<Member> parse(@Nullable String field) {
    if (field == null) {
      return null;
    }
    try {
      return new StructuredFieldList(field).list();
    } catch (Invalid | RuntimeException e) {
      return null;
    }
  }

  /** Thrown inside the parser on a syntax error; never escapes. */
  private static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid() {
      super(null, null, false, false);
    }
  }

  private List<Member> list() throws Invalid {
    List<Member> members = new ArrayList<>();
    skipSpaces();
    while (pos < input.length()) {
      Object value = peek() == '(' ? innerList() : bareItem();
      members.add(new Member(value, parameters()));
      skipOws();
      if (pos >= input.length()) {
        return members;
      }
      expect(',');
      skipOws();
      if (pos >= input.length()) {
        throw new Invalid(); // trailing comma
      }
    }
    return members;
  }

  private InnerList innerList() throws Invalid {
    expect('(');
    List<Object> items = new ArrayList<>();
    while (true) {
      skipSpaces();
      if (peek() == ')') {
        pos++;
        return new InnerList(items);
      }
      items.add(bareItem());
      parameters();
      char next = peek();
      if (next != ' ' && next != ')') {
        throw new Invalid();
      }
    }
  }

  private Map<String, Object> parameters() throws Invalid {
    Map<String, Object> parameters = new LinkedHashMap<>();
    while (peek() == ';') {
      pos++;
      skipSpaces();
      String key = key();
      Object value = Boolean.TRUE;
      if (peek() == '=') {
        pos++;
        value = bareItem();
      }
      parameters.put(key, value);
    }
    return parameters;
  }

  private String key() throws Invalid {
    int start = pos;
    char first = peek();
    if (!(isLcAlpha(first) || first == '*')) {
      throw new Invalid();
    }
    pos++;
    while (pos < input.length()) {
      char c = input.charAt(pos);
      if (!(isLcAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*')) {
        break;
      }
      pos++;
    }
    return input.substring(start, pos);
  }

  private Object bareItem() throws Invalid {
    char c = peek();
    if (c == '-' || isDigit(c)) {
      return number();
    }
    if (c == '"') {
      return string();
    }
    if (c == ':') {
      return bytes();
    }
    if (c == '?') {
      return bool();
    }
    if (isAlpha(c) || c == '*') {
      return token();
    }
    throw new Invalid();
  }

  private Object number() throws Invalid {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    int digitsStart = pos;
    int dot = -1;
    while (pos < input.length()) {
      char c = input.charAt(pos);
      if (isDigit(c)) {
        pos++;
      } else if (c == '.' && dot < 0) {
        dot = pos++;
      } else {
        break;
      }
    }
    String text = input.substring(start, pos);
    if (dot < 0) {
      int digits = pos - digitsStart;
      if (digits < 1 || digits > 15) {
        throw new Invalid();
      }
      return Long.parseLong(text);
    }
    int intDigits = dot - digitsStart;
    int fracDigits = pos - dot - 1;
    if (intDigits < 1 || intDigits > 12 || fracDigits < 1 || fracDigits > 3) {
      throw new Invalid();
    }
    return new BigDecimal(text);
  }

  private String string() throws Invalid {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (pos < input.length()) {
      char c = input.charAt(pos++);
      if (c == '\\') {
        char escaped = peek();
        if (escaped != '"' && escaped != '\\') {
          throw new Invalid();
        }
        out.append(escaped);
        pos++;
      } else if (c == '"') {
        return out.toString();
      } else if (c < 0x20 || c > 0x7e) {
        throw new Invalid();
      } else {
        out.append(c);
      }
    }
    throw new Invalid(); // unterminated
  }

  private Token token() {
    int start = pos++;
    while (pos < input.length()) {
      char c = input.charAt(pos);
      if (!(isTchar(c) || c == ':' || c == '/')) {
        break;
      }
      pos++;
    }
    return new Token(input.substring(start, pos));
  }

  private Bytes bytes() throws Invalid {
    expect(':');
    int start = pos;
    while (pos < input.length() && input.charAt(pos) != ':') {
      char c = input.charAt(pos);
      if (!(isAlpha(c) || isDigit(c) || c == '+' || c == '/' || c == '=')) {
        throw new Invalid();
      }
      pos++;
    }
    String base64 = input.substring(start, pos);
    expect(':');
    return new Bytes(base64);
  }

  private Boolean bool() throws Invalid {
    expect('?');
    char c = peek();
    pos++;
    if (c == '1') {
      return Boolean.TRUE;
    }
    if (c == '0') {
      return Boolean.FALSE;
    }
    throw new Invalid();
  }

  private char peek() {
    return pos < input.length() ? input.charAt(pos) : '\0';
  }

  private void expect(char c) throws Invalid {
    if (peek() != c || pos >= input.length()) {
      throw new Invalid();
    }
    pos++;
  }

  private void skipSpaces() {
    while (pos < input.length() && input.charAt(pos) == ' ') {
      pos++;
    }
  }

  private void skipOws() {
    while (pos < input.length() && (input.charAt(pos) == ' ' || input.charAt(pos) == '\t')) {
      pos++;
    }
  }

  private static boolean isLcAlpha(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isAlpha(char c) {
    return isLcAlpha(c) || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isTchar(char c) {
    return isAlpha(c) || isDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
