package dev.sluice.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads the IETF {@code RateLimit-Policy} and {@code RateLimit} response fields
 * (draft-ietf-httpapi-ratelimit-headers), Structured Field lists of named policies:
 *
 * <pre>{@code
 * RateLimit-Policy: "burst";q=100;w=60,"daily";q=1000;w=86400
 * RateLimit: "burst";r=50;t=30
 * }</pre>
 *
 * <p>Lenient where it is safe, strict where it matters, and it never throws: a field that is not a
 * valid Structured Field list yields an empty list (the RFC's rule: fail the whole field); a member
 * that lacks its required parameter ({@code q} or {@code r}), carries a negative or non-integer
 * value, or is not named by a string or token is skipped, and the others are kept. Unknown
 * parameters are ignored. Repeated field lines should be joined with {@code ", "} first.
 *
 * <pre>{@code
 * List<RateLimitStatus> statuses = RateLimitHeaders.parseRateLimit(response.header("RateLimit"));
 * }</pre>
 */
public final class RateLimitHeaders {
  private RateLimitHeaders() {}

  /**
   * Parses a {@code RateLimit-Policy} field value.
   *
   * @param field the field value, or {@code null}
   * @return the valid policies in order; empty when the field is absent or malformed
   */
  public static List<RateLimitPolicy> parsePolicies(@Nullable String field) {
    List<RateLimitPolicy> policies = new ArrayList<>();
    for (StructuredFieldList.Member member : members(field)) {
      String name = name(member.value());
      Map<String, Object> params = member.parameters();
      long quota = nonNegative(params.get("q"));
      if (name == null || quota < 0) {
        continue;
      }
      Object unit = params.get("qu");
      policies.add(
          new RateLimitPolicy(
              name,
              quota,
              seconds(params.get("w")),
              unit instanceof String s ? s : "requests",
              partitionKey(params)));
    }
    return List.copyOf(policies);
  }

  /**
   * Parses a {@code RateLimit} field value.
   *
   * @param field the field value, or {@code null}
   * @return the valid statuses in order; empty when the field is absent or malformed
   */
  public static List<RateLimitStatus> parseRateLimit(@Nullable String field) {
    List<RateLimitStatus> statuses = new ArrayList<>();
    for (StructuredFieldList.Member member : members(field)) {
      String name = name(member.value());
      Map<String, Object> params = member.parameters();
      long remaining = nonNegative(params.get("r"));
      if (name == null || remaining < 0) {
        continue;
      }
      statuses.add(
          new RateLimitStatus(name, remaining, seconds(params.get("t")), partitionKey(params)));
    }
    return List.copyOf(statuses);
  }

  private static List<StructuredFieldList.Member> members(@Nullable String field) {
    List<StructuredFieldList.Member> members = StructuredFieldList.parse(field);
    return members == null ? List.of() : members;
  }

  private static @Nullable String name(@Nullable Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof StructuredFieldList.Token t) {
      return t.text();
    }
    return null;
  }

  /** The value as a non-negative integer, or -1 when it is missing or anything else. */
  private static long nonNegative(@Nullable Object value) {
    return value instanceof Long n && n >= 0 ? n : -1;
  }

  private static Optional<Duration> seconds(@Nullable Object value) {
    long seconds = nonNegative(value);
    return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
  }

  private static Optional<String> partitionKey(Map<String, Object> params) {
    return params.get("pk") instanceof StructuredFieldList.Bytes b
        ? Optional.of(b.base64())
        : Optional.empty();
  }
}
