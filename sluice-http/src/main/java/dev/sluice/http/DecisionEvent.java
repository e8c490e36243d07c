package dev.sluice.http;

import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.policy.Outcome;
import dev.sluice.ratelimit.policy.Request;
import dev.sluice.ratelimit.policy.Verdict;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One decision, for metrics and logs: the policy's verdict on a request as it was counted.
 *
 * <p>An event holds the verdict and the request and works out the rest when asked (the identity
 * key, the most restrictive limit), so a listener pays only for what it reads; a listener that only
 * counts outcomes never makes a string. Immutable; what it works out is kept after the first call.
 */
public final class DecisionEvent {
  private final Verdict verdict;
  private final Request request;
  private final @Nullable TokenFailure tokenFailure;
  private final long decisionNanos;
  private @Nullable String identity; // built on first use; a race builds the same text twice
  private long tightRemaining; // written before tightest, read after it
  private int tightest = UNKNOWN;

  private static final int UNKNOWN = -2;

  /**
   * An event.
   *
   * @param verdict what the policy decided
   * @param request the request as the policy counted it (its identity, method and path)
   * @param tokenFailure why a presented token was not believed, or null
   * @param decisionNanos how long the decision took; -1 when it was not timed (see {@link
   *     HttpRateLimiter.Builder#timingSample})
   * @throws NullPointerException if the verdict or the request is null
   */
  public DecisionEvent(
      Verdict verdict, Request request, @Nullable TokenFailure tokenFailure, long decisionNanos) {
    this.verdict = Objects.requireNonNull(verdict, "verdict");
    this.request = Objects.requireNonNull(request, "request");
    this.tokenFailure = tokenFailure;
    this.decisionNanos = decisionNanos;
  }

  /**
   * What the policy decided.
   *
   * @return the outcome
   */
  public Outcome outcome() {
    return verdict.outcome();
  }

  /**
   * The rule that matched.
   *
   * @return the rule id, or null
   */
  public @Nullable String ruleId() {
    return verdict.ruleId();
  }

  /**
   * The caller's tier.
   *
   * @return the tier
   */
  public String tier() {
    return verdict.tier();
  }

  /**
   * The key the caller was counted under, such as {@code ip:192.0.2.7} or {@code user:42}.
   *
   * @return the identity key
   */
  public String identity() {
    String key = identity;
    if (key == null) {
      key = request.identity();
      identity = key;
    }
    return key;
  }

  /**
   * The most restrictive limit consulted.
   *
   * @return its id, or null when no limit was consulted
   */
  public @Nullable String limitId() {
    int i = tightest();
    return i < 0 ? null : verdict.decision().limits().get(i).id();
  }

  /**
   * The permits left in the limit named by {@link #limitId()}.
   *
   * @return the permits left; -1 when no limit was consulted
   */
  public long remaining() {
    return tightest() < 0 ? -1 : tightRemaining;
  }

  /**
   * The quota of the limit named by {@link #limitId()}.
   *
   * @return the quota; -1 when no limit was consulted
   */
  public long quota() {
    int i = tightest();
    return i < 0 ? -1 : verdict.decision().limits().get(i).quota();
  }

  /**
   * When refused, how long until the same request may pass.
   *
   * @return nanoseconds; 0 when not refused
   */
  public long retryAfterNanos() {
    return verdict.retryAfterNanos();
  }

  /**
   * How long the decision took, identity and token included.
   *
   * @return nanoseconds; -1 when this decision was not one of those timed
   */
  public long decisionNanos() {
    return decisionNanos;
  }

  /**
   * Why a presented token was not believed.
   *
   * @return the failure, or null
   */
  public @Nullable TokenFailure tokenFailure() {
    return tokenFailure;
  }

  /**
   * The request's method.
   *
   * @return such as {@code GET}
   */
  public String method() {
    return request.method();
  }

  /**
   * The request's path as decided on: for logs, never a metric tag.
   *
   * @return the path
   */
  public String path() {
    return request.path();
  }

  /**
   * The client's penalty level after this decision.
   *
   * @return the level; 0 when none
   */
  public int penaltyLevel() {
    return verdict.penaltyLevel();
  }

  /**
   * The verdict the event reports.
   *
   * @return the verdict
   */
  public Verdict verdict() {
    return verdict;
  }

  /** Finds the tightest limit and its remaining permits in one pass, each computed once. */
  private int tightest() {
    int i = tightest;
    if (i == UNKNOWN) {
      Decision d = verdict.decision();
      i = -1;
      long fewest = Long.MAX_VALUE;
      int n = d == null ? 0 : d.limits().size();
      for (int at = 0; at < n; at++) {
        long left = d.remaining(at);
        if (i < 0 || left < fewest) {
          i = at;
          fewest = left;
        }
      }
      tightRemaining = fewest;
      tightest = i;
    }
    return i;
  }

  @Override
  public String toString() {
    return "DecisionEvent[outcome="
        + outcome()
        + ", rule="
        + ruleId()
        + ", tier="
        + tier()
        + ", identity="
        + identity()
        + ", limit="
        + limitId()
        + ", remaining="
        + remaining()
        + ", retryAfterNanos="
        + retryAfterNanos()
        + ", decisionNanos="
        + decisionNanos
        + ", tokenFailure="
        + tokenFailure
        + "]";
  }
}
