package dev.sluice.ratelimit.internal;

import dev.sluice.ratelimit.Limit;

/**
 * The two-counter sliding window over three longs: the start of the current fixed window (aligned
 * to the clock), the permits of the previous window and of the current one. The estimate of the
 * last {@code window} is {@code ceil(previous * (window - elapsed) / window) + current}, rounded up
 * so it never under-counts.
 */
final class SlidingWindow implements Transition {
  static final SlidingWindow INSTANCE = new SlidingWindow();
  private static final int START = 0;
  private static final int PREVIOUS = 1;
  private static final int CURRENT = 2;

  private SlidingWindow() {}

  @Override
  public int width(Limit limit) {
    return 3;
  }

  @Override
  public void init(Limit limit, long[] s, int off, long now) {
    s[off + START] = Math.floorDiv(now, limit.windowNanos()) * limit.windowNanos();
    s[off + PREVIOUS] = 0;
    s[off + CURRENT] = 0;
  }

  @Override
  public void advance(Limit limit, long[] s, int off, long now) {
    long window = limit.windowNanos();
    long windows = (now - s[off + START]) / window;
    if (windows == 1) {
      s[off + PREVIOUS] = s[off + CURRENT];
      s[off + CURRENT] = 0;
      s[off + START] += window;
    } else if (windows >= 2) {
      s[off + PREVIOUS] = 0;
      s[off + CURRENT] = 0;
      s[off + START] += windows * window;
    }
  }

  private static long used(Limit limit, long[] s, int off, long now) {
    long window = limit.windowNanos();
    long elapsed = now - s[off + START];
    return MulDiv.ceil(s[off + PREVIOUS], window - elapsed, window) + s[off + CURRENT];
  }

  @Override
  public long deficit(Limit limit, long[] s, int off, long cost, long now) {
    long quota = limit.quota();
    if (cost > quota) {
      return Long.MAX_VALUE;
    }
    if (used(limit, s, off, now) + cost <= quota) {
      return 0;
    }
    long window = limit.windowNanos();
    long elapsed = now - s[off + START];
    long room = quota - cost;
    long current = s[off + CURRENT];
    if (current <= room) {
      // within this window, once the previous window's weight has shrunk enough
      long at = window - MulDiv.floor(room - current, window, s[off + PREVIOUS]);
      return at - elapsed;
    }
    // only in the next window, once this window (then the previous one) weighs little enough
    long at = window - MulDiv.floor(room, window, current);
    return window - elapsed + at;
  }

  @Override
  public void take(Limit limit, long[] s, int off, long cost, long now) {
    s[off + CURRENT] += cost;
  }

  @Override
  public long remaining(Limit limit, long[] s, int off, long now) {
    return Math.max(0, limit.quota() - used(limit, s, off, now));
  }

  @Override
  public long resetAfter(Limit limit, long[] s, int off, long now) {
    long end = s[off + START] + limit.windowNanos();
    if (s[off + CURRENT] > 0) {
      return end + limit.windowNanos() - now;
    }
    return s[off + PREVIOUS] > 0 ? end - now : 0;
  }
}
