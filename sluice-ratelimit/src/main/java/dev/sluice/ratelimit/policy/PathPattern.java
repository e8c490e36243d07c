package dev.sluice.ratelimit.policy;

import dev.sluice.ratelimit.RateLimitConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A path pattern of {@code /}-separated segments: a literal segment matches itself, {@code *}
 * matches exactly one segment, {@code **} matches any number of segments, none included. {@code
 * /api/*}{@code /orders} matches {@code /api/v1/orders}; {@code /static/**} matches {@code /static}
 * and {@code /static/css/site.css}. Matching ignores a query string and empty segments.
 *
 * <p>Specificity, used to pick the rule for a path when several match: compare the segments from
 * the left; at the first that differs, a literal beats {@code *} and {@code *} beats {@code **};
 * when one pattern is the start of the other, the longer one wins. See {@link #compareSpecificity}.
 */
public final class PathPattern {
  private static final String ONE = "*";
  private static final String ANY = "**";

  private final String text;
  private final String[] segments;

  private PathPattern(String text, String[] segments) {
    this.text = text;
    this.segments = segments;
  }

  /**
   * Parses a pattern.
   *
   * @param text starting with {@code /}; {@code /} alone matches the root only
   * @return the pattern
   * @throws RateLimitConfigException if it does not start with {@code /}, has an empty segment, a
   *     wildcard inside a segment ({@code /a*}), {@code ***}, white space, {@code ?} or {@code #}
   */
  public static PathPattern parse(String text) {
    Objects.requireNonNull(text, "path pattern");
    if (!text.startsWith("/")) {
      throw invalid(text, "it must start with '/'");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c) || c == '?' || c == '#') {
        throw invalid(text, "'" + c + "' at position " + i + " is not allowed");
      }
    }
    if (text.equals("/")) {
      return new PathPattern(text, new String[0]);
    }
    String[] segments = text.substring(1).split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty()) {
        throw invalid(text, "it has an empty segment");
      }
      if (segment.contains("*") && !segment.equals(ONE) && !segment.equals(ANY)) {
        throw invalid(
            text, "a wildcard must be a whole segment, '*' or '**', was '" + segment + "'");
      }
    }
    return new PathPattern(text, segments);
  }

  private static RateLimitConfigException invalid(String text, String why) {
    return new RateLimitConfigException(
        "path must be a valid pattern (" + why + "), was \"" + text + "\"");
  }

  /**
   * Whether a request path matches.
   *
   * @param path the request path; a query string after {@code ?} is ignored
   * @return true if it matches
   */
  public boolean matches(String path) {
    return match(0, split(path), 0);
  }

  static List<String> split(String path) {
    int query = path.indexOf('?');
    String bare = query >= 0 ? path.substring(0, query) : path;
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= bare.length(); i++) {
      if (i == bare.length() || bare.charAt(i) == '/') {
        if (i > start) {
          out.add(bare.substring(start, i));
        }
        start = i + 1;
      }
    }
    return out;
  }

  boolean matchesSegments(List<String> path) {
    return match(0, path, 0);
  }

  private boolean match(int p, List<String> path, int s) {
    if (p == segments.length) {
      return s == path.size();
    }
    String segment = segments[p];
    if (segment.equals(ANY)) {
      for (int k = s; k <= path.size(); k++) {
        if (match(p + 1, path, k)) {
          return true;
        }
      }
      return false;
    }
    if (s == path.size()) {
      return false;
    }
    return (segment.equals(ONE) || segment.equals(path.get(s))) && match(p + 1, path, s + 1);
  }

  private static int rank(String segment) {
    return switch (segment) {
      case ONE -> 1;
      case ANY -> 2;
      default -> 0;
    };
  }

  /**
   * Orders patterns from most to least specific: negative when this one is more specific.
   *
   * @param other another pattern
   * @return negative, zero (equally specific) or positive
   */
  public int compareSpecificity(PathPattern other) {
    int n = Math.min(segments.length, other.segments.length);
    for (int i = 0; i < n; i++) {
      int byRank = Integer.compare(rank(segments[i]), rank(other.segments[i]));
      if (byRank != 0) {
        return byRank;
      }
    }
    return Integer.compare(other.segments.length, segments.length);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PathPattern that && text.equals(that.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
