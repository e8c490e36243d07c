package dev.sluice.breaker;

/** The last {@code windowSize} calls, in a ring of outcome flags. */
final class CountWindow extends OutcomeWindow {
  private static final byte FAILED = 1;
  private static final byte SLOW = 2;

  private final byte[] ring;
  private int next;

  CountWindow(CircuitBreakerConfig config) {
    // a window smaller than the minimum could never reach it
    super(config, Math.min(config.minimumCalls(), config.windowSize()));
    this.ring = new byte[config.windowSize()];
  }

  @Override
  void add(boolean failed, boolean slow, long now) {
    if (calls == ring.length) {
      byte evicted = ring[next];
      failures -= evicted & FAILED;
      slowCalls -= (evicted & SLOW) >> 1;
    } else {
      calls++;
    }
    byte flags = (byte) ((failed ? FAILED : 0) | (slow ? SLOW : 0));
    ring[next] = flags;
    next = (next + 1) % ring.length;
    failures += failed ? 1 : 0;
    slowCalls += slow ? 1 : 0;
  }

  @Override
  void expire(long now) {
    // counts never age out
  }
}
