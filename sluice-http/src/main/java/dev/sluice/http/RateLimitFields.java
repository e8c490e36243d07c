package dev.sluice.http;

import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Formats the rate-limit header fields of a decision in one dialect. Seconds are always rounded up.
 *
 * <p>What never changes for a list of limits (the whole {@code RateLimit-Policy} value, the {@code
 * "id";r=} start of each {@code RateLimit} item, each quota's text) is formatted once per list and
 * kept in a small cache keyed by the list's identity (the policy hands out the same list instance
 * for a rule or tier each time); only the remaining permits and reset seconds are formatted per
 * request, straight into the value they belong to. Safe for concurrent use.
 */
final class RateLimitFields {
  /** The longest Retry-After sent: a year; a request that can never pass reads this. */
  static final long MAX_RETRY_AFTER_SECONDS = 365L * 24 * 3600;

  private static final int SMALL_NUMBERS = 1024;
  private static final String[] SMALL = new String[SMALL_NUMBERS];
  private static final int CACHE_SLOTS = 32;
  private static final String[] NONE = new String[0];

  static {
    for (int i = 0; i < SMALL_NUMBERS; i++) {
      SMALL[i] = Integer.toString(i).intern();
    }
  }

  private final HeaderDialect dialect;
  private final int fieldCount;
  private final AtomicReferenceArray<Constant> cache = new AtomicReferenceArray<>(CACHE_SLOTS);

  /**
   * The constant of the first list formatted, checked before the cache. A plain field: its parts
   * are final, and a thread that has not seen it yet only takes the slower look-up.
   */
  private Constant first;

  RateLimitFields(HeaderDialect dialect) {
    this.dialect = dialect;
    this.fieldCount = (dialect.ietf() ? 4 : 0) + (dialect.legacy() ? 6 : 0);
  }

  /** What is fixed for one list of limits. */
  private record Constant(
      List<Limit> limits, String policy, String[] statusPrefix, String[] quota) {
    static Constant of(List<Limit> limits) {
      int n = limits.size();
      StringBuilder policy = new StringBuilder(32 * n);
      String[] prefix = new String[n];
      String[] quota = new String[n];
      for (int i = 0; i < n; i++) {
        Limit limit = limits.get(i);
        if (i > 0) {
          policy.append(", ");
        }
        policy.append('"').append(limit.id()).append("\";q=").append(limit.quota());
        policy.append(";w=").append(Math.max(1, ceilSeconds(limit.windowNanos())));
        prefix[i] = (i > 0 ? ", \"" : "\"") + limit.id() + "\";r=";
        quota[i] = Long.toString(limit.quota());
      }
      return new Constant(limits, policy.toString(), prefix, quota);
    }
  }

  static long ceilSeconds(long nanos) {
    if (nanos <= 0) {
      return 0;
    }
    return nanos / 1_000_000_000L + (nanos % 1_000_000_000L == 0 ? 0 : 1);
  }

  /** Retry-After in whole seconds, rounded up, at least 1. */
  static long retryAfterSeconds(long nanos) {
    return Math.max(1, Math.min(MAX_RETRY_AFTER_SECONDS, ceilSeconds(nanos)));
  }

  /** A number's decimal text, without a new string for the small ones. */
  static String number(long value) {
    return value >= 0 && value < SMALL_NUMBERS ? SMALL[(int) value] : Long.toString(value);
  }

  /**
   * The name/value pairs for a decision, with room for {@code extra} more entries at the end.
   *
   * @return the array; its first {@link #count} entries are set
   */
  String[] fields(Decision decision, int extra) {
    List<Limit> limits = decision == null ? List.of() : decision.limits();
    if (limits.isEmpty() || fieldCount == 0) {
      return extra == 0 ? NONE : new String[extra];
    }
    String[] out = new String[fieldCount + extra];
    Constant constant = constant(limits);
    int n = limits.size();
    int tightest;
    String remaining;
    String reset;
    String status = null;
    if (n == 1) {
      // the common case: each number is formatted once and shared by both dialects
      tightest = 0;
      remaining = number(decision.remaining(0));
      reset = number(ceilSeconds(decision.resetAfterNanos(0)));
      if (dialect.ietf()) {
        status = constant.statusPrefix[0] + remaining + ";t=" + reset; // one exactly sized string
      }
    } else {
      long[] left = new long[n];
      tightest = 0;
      for (int i = 0; i < n; i++) {
        left[i] = decision.remaining(i);
        if (left[i] < left[tightest]) {
          tightest = i; // the first with the fewest, as Decision.tightest()
        }
      }
      remaining = number(left[tightest]);
      reset = number(ceilSeconds(decision.resetAfterNanos(tightest)));
      if (dialect.ietf()) {
        status = status(decision, constant, left);
      }
    }
    int at = 0;
    if (dialect.ietf()) {
      out[at++] = "RateLimit-Policy";
      out[at++] = constant.policy;
      out[at++] = "RateLimit";
      out[at++] = status;
    }
    if (dialect.legacy()) {
      out[at++] = "X-RateLimit-Limit";
      out[at++] = constant.quota[tightest];
      out[at++] = "X-RateLimit-Remaining";
      out[at++] = remaining;
      out[at++] = "X-RateLimit-Reset";
      out[at++] = reset;
    }
    return out;
  }

  /** How many entries {@link #fields} sets for a decision. */
  int count(Decision decision) {
    return decision == null || decision.limits().isEmpty() ? 0 : fieldCount;
  }

  private static String status(Decision decision, Constant constant, long[] left) {
    String[] prefix = constant.statusPrefix;
    StringBuilder status = new StringBuilder(24 * prefix.length);
    for (int i = 0; i < prefix.length; i++) {
      status.append(prefix[i]).append(left[i]);
      status.append(";t=").append(ceilSeconds(decision.resetAfterNanos(i)));
    }
    return status.toString();
  }

  private Constant constant(List<Limit> limits) {
    Constant first = this.first;
    if (first != null && first.limits == limits) {
      return first; // most traffic decides on one list: no hash needed
    }
    Constant found = lookUp(limits);
    if (first == null) {
      this.first = found; // set once: rewriting it as lists alternate would share a written line
    }
    return found;
  }

  private Constant lookUp(List<Limit> limits) {
    int slot = System.identityHashCode(limits) & (CACHE_SLOTS - 1);
    Constant held = cache.get(slot);
    if (held != null && held.limits == limits) {
      return held;
    }
    Constant made = Constant.of(limits);
    cache.set(slot, made); // a race only formats the same text twice
    return made;
  }

  /** Appends name/value pairs for the decision in the dialect. */
  static void append(Decision decision, HeaderDialect dialect, List<String> out) {
    RateLimitFields fields = new RateLimitFields(dialect);
    String[] values = fields.fields(decision, 0);
    for (int i = 0; i < fields.count(decision); i++) {
      out.add(values[i]);
    }
  }
}
