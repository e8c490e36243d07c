package dev.sluice.ratelimit.internal;

import dev.sluice.ratelimit.Limit;

/**
 * GCRA over one long, the theoretical arrival time (TAT). The emission interval is {@code T =
 * limit.intervalNanos()}, the tolerance {@code burst * T}: a fresh key admits {@code burst} at
 * once, then one permit every {@code T}.
 *
 * <p>The static methods are the algorithm itself, over a TAT already advanced to {@code now}; the
 * {@link Transition} and the single-limit {@link GcraDecision} both run them.
 */
final class Gcra implements Transition {
  static final Gcra INSTANCE = new Gcra();

  private Gcra() {}

  /** How long until {@code cost} permits can be taken at {@code tat}; see {@link #deficit}. */
  static long deficit(Limit limit, long tat, long cost, long now) {
    if (cost > limit.burst()) {
      return Long.MAX_VALUE;
    }
    long interval = limit.intervalNanos();
    long allowAt = tat + cost * interval - limit.burst() * interval;
    return allowAt > now ? allowAt - now : 0;
  }

  /** The TAT after taking {@code cost} permits. */
  static long take(Limit limit, long tat, long cost) {
    return tat + cost * limit.intervalNanos();
  }

  /** Permits that can be taken at {@code now}. */
  static long remaining(Limit limit, long tat, long now) {
    long interval = limit.intervalNanos();
    return (limit.burst() * interval - (tat - now)) / interval;
  }

  @Override
  public int width(Limit limit) {
    return 1;
  }

  @Override
  public void init(Limit limit, long[] s, int off, long now) {
    s[off] = now;
  }

  @Override
  public void advance(Limit limit, long[] s, int off, long now) {
    if (s[off] < now) {
      s[off] = now;
    }
  }

  @Override
  public long deficit(Limit limit, long[] s, int off, long cost, long now) {
    return deficit(limit, s[off], cost, now);
  }

  @Override
  public void take(Limit limit, long[] s, int off, long cost, long now) {
    s[off] = take(limit, s[off], cost);
  }

  @Override
  public long remaining(Limit limit, long[] s, int off, long now) {
    return remaining(limit, s[off], now);
  }

  @Override
  public long resetAfter(Limit limit, long[] s, int off, long now) {
    return s[off] - now;
  }
}
