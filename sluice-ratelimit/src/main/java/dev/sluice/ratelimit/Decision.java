package dev.sluice.ratelimit;

import dev.sluice.ratelimit.internal.RemoteDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of one rate-limit decision over all the limits of a key: whether the request is
 * allowed, and for each limit what is left and when it is whole again. It carries everything an
 * HTTP layer needs for {@code RateLimit}, {@code RateLimit-Policy}, {@code X-RateLimit-*} and
 * {@code Retry-After}.
 *
 * <p>Either every limit was charged the cost (allowed) or none was (denied). When denied, {@link
 * #retryAfterNanos()} is the time until every violated limit would admit the same cost again, or
 * {@link #NEVER} when the cost exceeds a limit's burst.
 *
 * <p>Decisions are immutable. Stores create them; {@link #of} builds one from figures computed
 * elsewhere (for a remote store).
 */
public interface Decision {
  /** {@link #retryAfterNanos()} of a request that can never be admitted (its cost is too high). */
  long NEVER = Long.MAX_VALUE;

  /**
   * Whether the request may proceed; when true, every limit was charged.
   *
   * @return true if allowed
   */
  boolean allowed();

  /**
   * The limits this decision covered, in the order given.
   *
   * @return the limits
   */
  List<Limit> limits();

  /**
   * Permits left in limit {@code index} after this decision.
   *
   * @param index position in {@link #limits()}
   * @return the remaining permits, never negative
   */
  long remaining(int index);

  /**
   * Nanoseconds until limit {@code index} is whole again (the {@code t} of a {@code RateLimit}
   * header).
   *
   * @param index position in {@link #limits()}
   * @return nanoseconds, 0 when it is full
   */
  long resetAfterNanos(int index);

  /**
   * Whether limit {@code index} refused this request.
   *
   * @param index position in {@link #limits()}
   * @return true if that limit was violated
   */
  boolean violated(int index);

  /**
   * Nanoseconds to wait before the same request can be allowed.
   *
   * @return 0 when allowed, {@link #NEVER} when the cost exceeds a limit's burst
   */
  long retryAfterNanos();

  /**
   * {@link #resetAfterNanos(int)} as a duration.
   *
   * @param index position in {@link #limits()}
   * @return the time until limit {@code index} is whole again
   */
  default Duration resetAfter(int index) {
    return Duration.ofNanos(resetAfterNanos(index));
  }

  /**
   * {@link #retryAfterNanos()} as a duration, for a {@code Retry-After} header.
   *
   * @return zero when allowed; about 292 years when never
   */
  default Duration retryAfter() {
    return Duration.ofNanos(retryAfterNanos());
  }

  /**
   * The ids of the limits that refused this request, for a {@code violated-policies} list.
   *
   * @return the ids, empty when allowed
   */
  default List<String> violatedLimitIds() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < limits().size(); i++) {
      if (violated(i)) {
        ids.add(limits().get(i).id());
      }
    }
    return ids;
  }

  /**
   * The index of the limit with the fewest permits left, the one a single-window header such as
   * {@code X-RateLimit-Remaining} should show.
   *
   * @return an index into {@link #limits()}, or -1 when there are no limits
   */
  default int tightest() {
    int best = -1;
    long fewest = Long.MAX_VALUE;
    for (int i = 0; i < limits().size(); i++) {
      long left = remaining(i);
      if (best < 0 || left < fewest) {
        best = i;
        fewest = left;
      }
    }
    return best;
  }

  /**
   * The position of the limit named {@code limitId} in {@link #limits()}.
   *
   * @param limitId a limit's id
   * @return its index, or -1 when no limit of this decision has that id
   */
  default int indexOf(String limitId) {
    List<Limit> limits = limits();
    for (int i = 0; i < limits.size(); i++) {
      if (limits.get(i).id().equals(limitId)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * {@link #remaining(int)} of the limit named {@code limitId}.
   *
   * @param limitId a limit's id
   * @return the permits left in that limit after this decision
   * @throws IllegalArgumentException if no limit of this decision has that id
   */
  default long remaining(String limitId) {
    return remaining(requireIndex(this, limitId));
  }

  /**
   * {@link #resetAfter(int)} of the limit named {@code limitId}.
   *
   * @param limitId a limit's id
   * @return the time until that limit is whole again
   * @throws IllegalArgumentException if no limit of this decision has that id
   */
  default Duration resetAfter(String limitId) {
    return resetAfter(requireIndex(this, limitId));
  }

  /**
   * {@link #violated(int)} of the limit named {@code limitId}.
   *
   * @param limitId a limit's id
   * @return true if that limit refused this request
   * @throws IllegalArgumentException if no limit of this decision has that id
   */
  default boolean violated(String limitId) {
    return violated(requireIndex(this, limitId));
  }

  /**
   * Creates a decision from figures computed elsewhere, for a store of your own that evaluates
   * remotely.
   *
   * @param limits the limits decided on, in order
   * @param remaining per limit, the permits left after this decision
   * @param resetAfterNanos per limit, nanoseconds until it is whole again
   * @param retryAfterNanos 0 when allowed, else nanoseconds to wait or {@link #NEVER}
   * @param violated per limit, whether it refused the request; none when allowed
   * @return the decision
   * @throws IllegalArgumentException if the arrays do not have one value per limit, or there are
   *     more than {@link RateLimiter#MAX_LIMITS_PER_KEY} limits
   */
  static Decision of(
      List<Limit> limits,
      long[] remaining,
      long[] resetAfterNanos,
      long retryAfterNanos,
      boolean[] violated) {
    if (violated.length != limits.size()) {
      throw new IllegalArgumentException(
          "decision.violated must have one value per limit, was "
              + violated.length
              + " for "
              + limits.size());
    }
    if (limits.size() > RateLimiter.MAX_LIMITS_PER_KEY) {
      throw new IllegalArgumentException(
          "decision.limits must be at most "
              + RateLimiter.MAX_LIMITS_PER_KEY
              + ", was "
              + limits.size());
    }
    long mask = 0;
    for (int i = 0; i < violated.length; i++) {
      if (violated[i]) {
        mask |= 1L << i;
      }
    }
    return RemoteDecision.of(
        limits, remaining.clone(), resetAfterNanos.clone(), retryAfterNanos, mask);
  }

  private static int requireIndex(Decision decision, String limitId) {
    int index = decision.indexOf(limitId);
    if (index < 0) {
      List<String> ids = new ArrayList<>();
      for (Limit limit : decision.limits()) {
        ids.add(limit.id());
      }
      throw new IllegalArgumentException(
          "decision has no limit with id \"" + limitId + "\" (its limits: " + ids + ")");
    }
    return index;
  }

  /**
   * Describes a decision for logs: outcome, and per limit its remaining permits and reset time.
   *
   * @param decision the decision
   * @return a one-line description
   */
  static String describe(Decision decision) {
    StringBuilder out =
        new StringBuilder(decision.allowed() ? "Decision[allowed" : "Decision[denied");
    for (int i = 0; i < decision.limits().size(); i++) {
      out.append(", ")
          .append(decision.limits().get(i).id())
          .append(decision.violated(i) ? "!" : "")
          .append(" remaining=")
          .append(decision.remaining(i))
          .append(" reset=")
          .append(decision.resetAfter(i));
    }
    if (!decision.allowed()) {
      long retry = decision.retryAfterNanos();
      out.append(", retryAfter=").append(retry == NEVER ? "never" : decision.retryAfter());
    }
    return out.append(']').toString();
  }
}
