package dev.sluice.http;

import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.policy.Outcome;
import dev.sluice.ratelimit.policy.Verdict;
import org.jspecify.annotations.Nullable;

/**
 * RFC 9457 problem details, as the HTTP layer writes them: the 429 body of a refused request, and a
 * plain problem for the other answers a server in front of an API gives on its own (401, 414, or a
 * gateway's 502), so every JSON error of a Sluice server has the same shape.
 *
 * <pre>{@code
 * String body = ProblemBody.simple(502, "Bad Gateway", "The upstream could not be reached.");
 * }</pre>
 */
public final class ProblemBody {
  /** The media type of a problem body. */
  public static final String MEDIA_TYPE = "application/problem+json";

  static final String QUOTA_EXCEEDED =
      "https://iana.org/assignments/http-problem-types#quota-exceeded";
  static final String ABOUT_BLANK = "about:blank";

  private ProblemBody() {}

  /** The 429 body: every exceeded limit, the retry-after, the penalty level. */
  static String quotaExceeded(
      Verdict verdict, long retryAfterSeconds, @Nullable String documentationUrl) {
    StringBuilder json = new StringBuilder(256);
    json.append("{\"type\":\"").append(QUOTA_EXCEEDED).append("\",\"title\":\"Quota Exceeded\"");
    json.append(",\"status\":429,\"detail\":\"");
    if (verdict.outcome() == Outcome.PENALIZED) {
      json.append("Repeated violations: requests are refused for ").append(retryAfterSeconds);
    } else {
      json.append("Rate limit exceeded; retry in ").append(retryAfterSeconds);
    }
    json.append(retryAfterSeconds == 1 ? " second.\"" : " seconds.\"");
    Decision decision = verdict.decision();
    json.append(",\"violated-policies\":[");
    if (decision != null) {
      boolean first = true;
      for (int i = 0; i < decision.limits().size(); i++) {
        if (decision.violated(i)) {
          json.append(first ? "" : ",").append('"').append(decision.limits().get(i).id());
          json.append('"');
          first = false;
        }
      }
    }
    json.append("],\"limits\":[");
    if (decision != null) {
      boolean first = true;
      for (int i = 0; i < decision.limits().size(); i++) {
        if (!decision.violated(i)) {
          continue;
        }
        Limit limit = decision.limits().get(i);
        json.append(first ? "" : ",").append("{\"id\":\"").append(limit.id());
        json.append("\",\"quota\":").append(limit.quota());
        json.append(",\"window\":")
            .append(Math.max(1, RateLimitFields.ceilSeconds(limit.windowNanos())));
        json.append(",\"remaining\":").append(decision.remaining(i));
        json.append(",\"reset\":").append(RateLimitFields.ceilSeconds(decision.resetAfterNanos(i)));
        json.append('}');
        first = false;
      }
    }
    json.append("],\"retry-after\":").append(retryAfterSeconds);
    json.append(",\"penalty-level\":").append(verdict.penaltyLevel());
    if (documentationUrl != null) {
      json.append(",\"documentation-url\":");
      string(json, documentationUrl);
    }
    return json.append('}').toString();
  }

  /**
   * A plain problem ({@code type} {@code about:blank}) with the given status, title and detail.
   *
   * @param status the HTTP status
   * @param title the status's short text
   * @param detail what happened, for a person
   * @return the JSON text
   */
  public static String simple(int status, String title, String detail) {
    StringBuilder json = new StringBuilder(128);
    json.append("{\"type\":\"").append(ABOUT_BLANK).append("\",\"title\":");
    string(json, title);
    json.append(",\"status\":").append(status).append(",\"detail\":");
    string(json, detail);
    return json.append('}').toString();
  }

  static void string(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20) {
        json.append(String.format("\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    json.append('"');
  }
}
