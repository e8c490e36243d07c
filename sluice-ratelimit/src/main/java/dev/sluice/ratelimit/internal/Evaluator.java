package dev.sluice.ratelimit.internal;

import dev.sluice.ratelimit.Algorithm;
import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import java.util.List;

/**
 * Runs the {@link Transition}s of all the limits of one key over one state array, all or none: a
 * store that keeps the array atomically (a compare-and-set in memory, a script in Redis) gets
 * atomic multi-limit decisions from it.
 *
 * <p>Not API: shapes may change between releases.
 */
public final class Evaluator {
  private static final Transition[] BY_ALGORITHM = new Transition[Algorithm.values().length];

  static {
    BY_ALGORITHM[Algorithm.TOKEN_BUCKET.ordinal()] = TokenBucket.INSTANCE;
    BY_ALGORITHM[Algorithm.GCRA.ordinal()] = Gcra.INSTANCE;
    BY_ALGORITHM[Algorithm.SLIDING_WINDOW.ordinal()] = SlidingWindow.INSTANCE;
    BY_ALGORITHM[Algorithm.SLIDING_LOG.ordinal()] = SlidingLog.INSTANCE;
    BY_ALGORITHM[Algorithm.FIXED_WINDOW.ordinal()] = FixedWindow.INSTANCE;
  }

  private Evaluator() {}

  /**
   * The state machine of an algorithm.
   *
   * @param algorithm the algorithm
   * @return its transition
   */
  public static Transition transition(Algorithm algorithm) {
    return BY_ALGORITHM[algorithm.ordinal()];
  }

  /**
   * The length of the state array for a list of limits.
   *
   * @param limits the limits of a key
   * @return the sum of their widths
   */
  public static int width(List<Limit> limits) {
    int width = 0;
    for (int i = 0, n = limits.size(); i < n; i++) {
      Limit limit = limits.get(i);
      width += transition(limit.algorithm()).width(limit);
    }
    return width;
  }

  /**
   * The state of a key never seen: every limit whole.
   *
   * @param limits the limits of the key
   * @param now the current time
   * @return a new state array
   */
  public static long[] fresh(List<Limit> limits, long now) {
    long[] s = new long[width(limits)];
    int off = 0;
    for (int i = 0, n = limits.size(); i < n; i++) {
      Limit limit = limits.get(i);
      Transition t = transition(limit.algorithm());
      t.init(limit, s, off, now);
      off += t.width(limit);
    }
    return s;
  }

  /**
   * Carries state over to a changed list of limits: a limit equal to an old one (same id and
   * values) keeps its state exactly; a changed limit with an old id keeps the permits used so far,
   * clamped to its new capacity; a new id starts whole.
   *
   * @param from the old limits
   * @param old the old state, not modified
   * @param to the new limits
   * @param now the current time
   * @return a new state array for {@code to}
   */
  public static long[] migrate(List<Limit> from, long[] old, List<Limit> to, long now) {
    long[] s = fresh(to, now);
    int off = 0;
    for (int i = 0, n = to.size(); i < n; i++) {
      Limit limit = to.get(i);
      Transition t = transition(limit.algorithm());
      int oldOff = 0;
      for (int j = 0, m = from.size(); j < m; j++) {
        Limit previous = from.get(j);
        Transition pt = transition(previous.algorithm());
        if (previous.id().equals(limit.id())) {
          if (previous.equals(limit)) {
            System.arraycopy(old, oldOff, s, off, t.width(limit));
          } else {
            long[] scratch = new long[pt.width(previous)];
            System.arraycopy(old, oldOff, scratch, 0, scratch.length);
            pt.advance(previous, scratch, 0, now);
            long used = capacity(previous) - pt.remaining(previous, scratch, 0, now);
            long kept = Math.min(used, t.remaining(limit, s, off, now));
            if (kept > 0) {
              t.take(limit, s, off, kept, now);
            }
          }
          break;
        }
        oldOff += pt.width(previous);
      }
      off += t.width(limit);
    }
    return s;
  }

  private static long capacity(Limit limit) {
    return limit.algorithm().hasBurst() ? limit.burst() : limit.quota();
  }

  /**
   * Decides on {@code cost} permits: advances every limit to {@code now}, and only if every limit
   * admits the cost, takes it from all of them.
   *
   * @param limits the limits of the key, at most 64
   * @param s the state array, advanced and (when allowed) charged in place
   * @param cost permits wanted, at least 1
   * @param now the current time, never earlier than the state's last time
   * @return the decision, reading its figures from {@code s}
   */
  public static Decision decide(List<Limit> limits, long[] s, long cost, long now) {
    long violated = charge(limits, s, cost, now);
    if (violated == 0) {
      return new StateDecision(limits, s, now);
    }
    return StateDecision.denied(limits, s, now, retryAfter(limits, s, cost, now), violated);
  }

  /**
   * The allocation-free core of {@link #decide}: advances every limit, and takes the cost from all
   * of them if every one admits it.
   *
   * @param limits the limits of the key, at most 64
   * @param s the state array, advanced and (when allowed) charged in place
   * @param cost permits wanted, at least 1
   * @param now the current time, never earlier than the state's last time
   * @return 0 when charged, else a mask with bit {@code i} set for each limit that refused
   */
  public static long charge(List<Limit> limits, long[] s, long cost, long now) {
    int n = limits.size();
    long violated = 0;
    int off = 0;
    for (int i = 0; i < n; i++) {
      Limit limit = limits.get(i);
      Transition t = transition(limit.algorithm());
      t.advance(limit, s, off, now);
      if (t.deficit(limit, s, off, cost, now) > 0) {
        violated |= 1L << i;
      }
      off += t.width(limit);
    }
    if (violated == 0) {
      off = 0;
      for (int i = 0; i < n; i++) {
        Limit limit = limits.get(i);
        Transition t = transition(limit.algorithm());
        t.take(limit, s, off, cost, now);
        off += t.width(limit);
      }
    }
    return violated;
  }

  /**
   * How long until every limit admits {@code cost}: the largest deficit.
   *
   * @param limits the limits of the key
   * @param s their state, advanced to {@code now}
   * @param cost permits wanted
   * @param now the current time
   * @return nanoseconds, or {@link Decision#NEVER}
   */
  public static long retryAfter(List<Limit> limits, long[] s, long cost, long now) {
    long longest = 0;
    int off = 0;
    for (int i = 0, n = limits.size(); i < n; i++) {
      Limit limit = limits.get(i);
      Transition t = transition(limit.algorithm());
      longest = Math.max(longest, t.deficit(limit, s, off, cost, now));
      off += t.width(limit);
    }
    return longest;
  }

  /**
   * The time at which every limit of a key is whole again if nothing more is taken; from then on
   * its state equals a fresh one and may be forgotten.
   *
   * @param limits the limits of the key
   * @param s its state, advanced to {@code now}
   * @param now the current time
   * @return {@code now} plus the longest reset time
   */
  public static long wholeAt(List<Limit> limits, long[] s, long now) {
    long longest = 0;
    int off = 0;
    for (int i = 0, n = limits.size(); i < n; i++) {
      Limit limit = limits.get(i);
      Transition t = transition(limit.algorithm());
      longest = Math.max(longest, t.resetAfter(limit, s, off, now));
      off += t.width(limit);
    }
    return now + longest;
  }

  private static int offset(List<Limit> limits, int index) {
    int off = 0;
    for (int i = 0; i < index; i++) {
      Limit limit = limits.get(i);
      off += transition(limit.algorithm()).width(limit);
    }
    return off;
  }

  /**
   * Permits left in one limit of a decided state.
   *
   * @param limits the limits of the key
   * @param s the state, advanced to {@code now}
   * @param index which limit
   * @param now the time of the state
   * @return the remaining permits
   */
  public static long remaining(List<Limit> limits, long[] s, int index, long now) {
    Limit limit = limits.get(index);
    return transition(limit.algorithm()).remaining(limit, s, offset(limits, index), now);
  }

  /**
   * Nanoseconds until one limit of a decided state is whole again.
   *
   * @param limits the limits of the key
   * @param s the state, advanced to {@code now}
   * @param index which limit
   * @param now the time of the state
   * @return nanoseconds, 0 when whole
   */
  public static long resetAfter(List<Limit> limits, long[] s, int index, long now) {
    Limit limit = limits.get(index);
    return transition(limit.algorithm()).resetAfter(limit, s, offset(limits, index), now);
  }
}
