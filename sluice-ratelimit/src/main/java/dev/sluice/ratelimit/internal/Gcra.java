package dev.sluice.ratelimit.internal;

import dev.sluice.ratelimit.Limit;

/**
 * GCRA over one long, the theoretical arrival time (TAT). The emission interval is {@code T =
 * limit.intervalNanos()}, the tolerance {@code burst * T}: a fresh key admits {@code burst} at
 * once, then one permit every {@code T}.
 */
final class Gcra implements Transition {
  static final Gcra INSTANCE = new Gcra();

  private Gcra() {}

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
    if (cost > limit.burst()) {
      return Long.MAX_VALUE;
    }
    long interval = limit.intervalNanos();
    long allowAt = s[off] + cost * interval - limit.burst() * interval;
    return allowAt > now ? allowAt - now : 0;
  }

  @Override
  public void take(Limit limit, long[] s, int off, long cost, long now) {
    s[off] += cost * limit.intervalNanos();
  }

  @Override
  public long remaining(Limit limit, long[] s, int off, long now) {
    long interval = limit.intervalNanos();
    return (limit.burst() * interval - (s[off] - now)) / interval;
  }

  @Override
  public long resetAfter(Limit limit, long[] s, int off, long now) {
    return s[off] - now;
  }
}
