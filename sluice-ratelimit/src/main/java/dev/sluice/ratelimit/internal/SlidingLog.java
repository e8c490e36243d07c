package dev.sluice.ratelimit.internal;

import dev.sluice.ratelimit.Limit;

/**
 * The exact sliding log: a ring of the admission times of the last {@code quota} permits, plus the
 * number of live entries and the index of the oldest. A permit admitted at {@code t} counts until
 * {@code t + window}.
 */
final class SlidingLog implements Transition {
  static final SlidingLog INSTANCE = new SlidingLog();
  private static final int COUNT = 0;
  private static final int HEAD = 1;
  private static final int RING = 2;

  private SlidingLog() {}

  @Override
  public int width(Limit limit) {
    return RING + (int) limit.quota();
  }

  @Override
  public void init(Limit limit, long[] s, int off, long now) {
    s[off + COUNT] = 0;
    s[off + HEAD] = 0;
  }

  private static int slot(Limit limit, long[] s, int off, long age) {
    return off + RING + (int) ((s[off + HEAD] + age) % limit.quota());
  }

  @Override
  public void advance(Limit limit, long[] s, int off, long now) {
    long count = s[off + COUNT];
    long head = s[off + HEAD];
    long quota = limit.quota();
    long window = limit.windowNanos();
    while (count > 0 && now - s[off + RING + (int) head] >= window) {
      head = head + 1 == quota ? 0 : head + 1;
      count--;
    }
    s[off + COUNT] = count;
    s[off + HEAD] = head;
  }

  @Override
  public long deficit(Limit limit, long[] s, int off, long cost, long now) {
    long quota = limit.quota();
    if (cost > quota) {
      return Long.MAX_VALUE;
    }
    long excess = s[off + COUNT] + cost - quota;
    if (excess <= 0) {
      return 0;
    }
    // the excess oldest entries must leave the window first
    return s[slot(limit, s, off, excess - 1)] + limit.windowNanos() - now;
  }

  @Override
  public void take(Limit limit, long[] s, int off, long cost, long now) {
    long count = s[off + COUNT];
    for (long i = 0; i < cost; i++) {
      s[slot(limit, s, off, count + i)] = now;
    }
    s[off + COUNT] = count + cost;
  }

  @Override
  public long remaining(Limit limit, long[] s, int off, long now) {
    return limit.quota() - s[off + COUNT];
  }

  @Override
  public long resetAfter(Limit limit, long[] s, int off, long now) {
    long count = s[off + COUNT];
    return count == 0 ? 0 : s[slot(limit, s, off, count - 1)] + limit.windowNanos() - now;
  }
}
