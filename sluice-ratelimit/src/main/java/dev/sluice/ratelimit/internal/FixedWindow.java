package dev.sluice.ratelimit.internal;

import dev.sluice.ratelimit.Limit;

/**
 * A fixed window over two longs: the start of the current window and the permits taken in it.
 * Windows are aligned to the clock (multiples of the window length of the store's time, UTC
 * nanoseconds since the epoch), so forgetting an idle key changes nothing it would observe.
 */
final class FixedWindow implements Transition {
  static final FixedWindow INSTANCE = new FixedWindow();
  private static final int START = 0;
  private static final int COUNT = 1;

  private FixedWindow() {}

  @Override
  public int width(Limit limit) {
    return 2;
  }

  @Override
  public void init(Limit limit, long[] s, int off, long now) {
    s[off + START] = Math.floorDiv(now, limit.windowNanos()) * limit.windowNanos();
    s[off + COUNT] = 0;
  }

  @Override
  public void advance(Limit limit, long[] s, int off, long now) {
    long window = limit.windowNanos();
    long elapsed = now - s[off + START];
    if (elapsed >= window) {
      s[off + START] += elapsed / window * window;
      s[off + COUNT] = 0;
    }
  }

  @Override
  public long deficit(Limit limit, long[] s, int off, long cost, long now) {
    if (cost > limit.quota()) {
      return Long.MAX_VALUE;
    }
    if (s[off + COUNT] + cost <= limit.quota()) {
      return 0;
    }
    return s[off + START] + limit.windowNanos() - now;
  }

  @Override
  public void take(Limit limit, long[] s, int off, long cost, long now) {
    s[off + COUNT] += cost;
  }

  @Override
  public long remaining(Limit limit, long[] s, int off, long now) {
    return limit.quota() - s[off + COUNT];
  }

  @Override
  public long resetAfter(Limit limit, long[] s, int off, long now) {
    return s[off + COUNT] == 0 ? 0 : s[off + START] + limit.windowNanos() - now;
  }
}
