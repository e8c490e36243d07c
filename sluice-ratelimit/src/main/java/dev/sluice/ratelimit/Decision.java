package dev.sluice.ratelimit;

import dev.sluice.ratelimit.internal.Evaluator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one rate-limit decision over all the limits of a key: whether the request is
 * allowed, and for each limit what is left and when it is whole again. It carries everything an
 * HTTP layer needs for {@code RateLimit}, {@code RateLimit-Policy}, {@code X-RateLimit-*} and
 * {@code Retry-After}.
 *
 * <p>Either every limit was charged the cost (allowed) or none was (denied). When denied, {@link
 * #retryAfterNanos()} is the time until every violated limit would admit the same cost again, or
 * {@link #NEVER} when the cost exceeds a limit's burst.
 */
public final class Decision {
  /** {@link #retryAfterNanos()} of a request that can never be admitted (its cost is too high). */
  public static final long NEVER = Long.MAX_VALUE;

  private final boolean allowed;
  private final List<Limit> limits;
  private final long[] remaining;
  private final long[] resetAfterNanos;
  private final long[] state;
  private final long nowNanos;
  private final long retryAfterNanos;
  private final long violatedMask;

  private Decision(
      List<Limit> limits,
      long[] remaining,
      long[] resetAfterNanos,
      long[] state,
      long nowNanos,
      long retryAfterNanos,
      long violatedMask) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.remaining = remaining;
    this.resetAfterNanos = resetAfterNanos;
    this.state = state;
    this.nowNanos = nowNanos;
    this.retryAfterNanos = retryAfterNanos;
    this.violatedMask = violatedMask;
    this.allowed = violatedMask == 0;
  }

  /**
   * Creates a decision from figures computed elsewhere, for a store that evaluates remotely.
   *
   * @param limits the limits decided on, in order
   * @param remaining per limit, the permits left after this decision
   * @param resetAfterNanos per limit, nanoseconds until it is whole again
   * @param retryAfterNanos 0 when allowed, else nanoseconds to wait or {@link #NEVER}
   * @param violatedMask bit {@code i} set when limit {@code i} refused the request; 0 when allowed
   * @return the decision
   * @throws IllegalArgumentException if the arrays do not have one value per limit
   */
  public static Decision of(
      List<Limit> limits,
      long[] remaining,
      long[] resetAfterNanos,
      long retryAfterNanos,
      long violatedMask) {
    if (remaining.length != limits.size() || resetAfterNanos.length != limits.size()) {
      throw new IllegalArgumentException("one remaining and one reset value per limit");
    }
    return new Decision(
        limits, remaining.clone(), resetAfterNanos.clone(), null, 0, retryAfterNanos, violatedMask);
  }

  /**
   * Creates a decision that reads its figures on demand from the state the algorithms left, for an
   * in-process store: it saves building arrays that a caller may never read.
   *
   * @param limits the limits decided on, in order
   * @param state the state array after the decision, laid out by the algorithms of {@code
   *     dev.sluice.ratelimit.internal}; never changed afterwards
   * @param nowNanos the time the decision was made at
   * @param retryAfterNanos 0 when allowed, else nanoseconds to wait or {@link #NEVER}
   * @param violatedMask bit {@code i} set when limit {@code i} refused the request; 0 when allowed
   * @return the decision
   */
  public static Decision ofState(
      List<Limit> limits, long[] state, long nowNanos, long retryAfterNanos, long violatedMask) {
    return new Decision(limits, null, null, state, nowNanos, retryAfterNanos, violatedMask);
  }

  /**
   * Whether the request may proceed; when true, every limit was charged.
   *
   * @return true if allowed
   */
  public boolean allowed() {
    return allowed;
  }

  /**
   * The limits this decision covered, in the order given.
   *
   * @return the limits
   */
  public List<Limit> limits() {
    return limits;
  }

  /**
   * Permits left in limit {@code index} after this decision.
   *
   * @param index position in {@link #limits()}
   * @return the remaining permits, never negative
   */
  public long remaining(int index) {
    return state != null
        ? Evaluator.remaining(limits, state, index, nowNanos)
        : remaining[Objects.checkIndex(index, limits.size())];
  }

  /**
   * Nanoseconds until limit {@code index} is whole again (the {@code t} of a {@code RateLimit}
   * header).
   *
   * @param index position in {@link #limits()}
   * @return nanoseconds, 0 when it is full
   */
  public long resetAfterNanos(int index) {
    return state != null
        ? Evaluator.resetAfter(limits, state, index, nowNanos)
        : resetAfterNanos[Objects.checkIndex(index, limits.size())];
  }

  /**
   * {@link #resetAfterNanos(int)} as a duration.
   *
   * @param index position in {@link #limits()}
   * @return the time until limit {@code index} is whole again
   */
  public Duration resetAfter(int index) {
    return Duration.ofNanos(resetAfterNanos(index));
  }

  /**
   * Whether limit {@code index} refused this request.
   *
   * @param index position in {@link #limits()}
   * @return true if that limit was violated
   */
  public boolean violated(int index) {
    return (violatedMask >>> index & 1) != 0;
  }

  /**
   * The ids of the limits that refused this request, for a {@code violated-policies} list.
   *
   * @return the ids, empty when allowed
   */
  public List<String> violatedLimitIds() {
    List<String> ids = new ArrayList<>(Long.bitCount(violatedMask));
    for (int i = 0; i < limits.size(); i++) {
      if (violated(i)) {
        ids.add(limits.get(i).id());
      }
    }
    return ids;
  }

  /**
   * Nanoseconds to wait before the same request can be allowed.
   *
   * @return 0 when allowed, {@link #NEVER} when the cost exceeds a limit's burst
   */
  public long retryAfterNanos() {
    return retryAfterNanos;
  }

  /**
   * {@link #retryAfterNanos()} as a duration, for a {@code Retry-After} header.
   *
   * @return zero when allowed; a very long duration when never
   */
  public Duration retryAfter() {
    return Duration.ofNanos(retryAfterNanos);
  }

  /**
   * The index of the limit with the fewest permits left, the one a single-window header such as
   * {@code X-RateLimit-Remaining} should show.
   *
   * @return an index into {@link #limits()}, or -1 when there are no limits
   */
  public int tightest() {
    int best = -1;
    long fewest = Long.MAX_VALUE;
    for (int i = 0; i < limits.size(); i++) {
      long left = remaining(i);
      if (best < 0 || left < fewest) {
        best = i;
        fewest = left;
      }
    }
    return best;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(allowed ? "Decision[allowed" : "Decision[denied");
    for (int i = 0; i < limits.size(); i++) {
      out.append(", ")
          .append(limits.get(i).id())
          .append(violated(i) ? "!" : "")
          .append(" remaining=")
          .append(remaining(i))
          .append(" reset=")
          .append(resetAfter(i));
    }
    if (!allowed) {
      out.append(", retryAfter=")
          .append(retryAfterNanos == NEVER ? "never" : retryAfter().toString());
    }
    return out.append(']').toString();
  }
}
