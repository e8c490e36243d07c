package dev.sluice.ratelimit.internal;

import dev.sluice.ratelimit.Limit;

/**
 * A token bucket over two longs: whole tokens, and the time the partial token started to fill. A
 * token is added every {@code limit.intervalNanos()}; the bucket holds at most {@code burst}.
 */
final class TokenBucket implements Transition {
  static final TokenBucket INSTANCE = new TokenBucket();
  private static final int TOKENS = 0;
  private static final int LAST = 1;

  private TokenBucket() {}

  @Override
  public int width(Limit limit) {
    return 2;
  }

  @Override
  public void init(Limit limit, long[] s, int off, long now) {
    s[off + TOKENS] = limit.burst();
    s[off + LAST] = now;
  }

  @Override
  public void advance(Limit limit, long[] s, int off, long now) {
    long tokens = s[off + TOKENS];
    long missing = limit.burst() - tokens;
    if (missing <= 0) {
      s[off + LAST] = now;
      return;
    }
    long interval = limit.intervalNanos();
    long added = (now - s[off + LAST]) / interval;
    if (added >= missing) {
      s[off + TOKENS] = limit.burst();
      s[off + LAST] = now;
    } else {
      s[off + TOKENS] = tokens + added;
      s[off + LAST] += added * interval;
    }
  }

  @Override
  public long deficit(Limit limit, long[] s, int off, long cost, long now) {
    if (cost > limit.burst()) {
      return Long.MAX_VALUE;
    }
    long tokens = s[off + TOKENS];
    if (tokens >= cost) {
      return 0;
    }
    return (cost - tokens) * limit.intervalNanos() - (now - s[off + LAST]);
  }

  @Override
  public void take(Limit limit, long[] s, int off, long cost, long now) {
    s[off + TOKENS] -= cost;
  }

  @Override
  public long remaining(Limit limit, long[] s, int off, long now) {
    return s[off + TOKENS];
  }

  @Override
  public long resetAfter(Limit limit, long[] s, int off, long now) {
    long missing = limit.burst() - s[off + TOKENS];
    return missing <= 0 ? 0 : missing * limit.intervalNanos() - (now - s[off + LAST]);
  }
}
