package dev.sluice.retry;

import java.util.ArrayDeque;

/** What the learner keeps per provider; guarded by the learner's lock. */
final class ProviderState {
  static final int MAX_EVENTS = 50;

  int streak;

  /** The share of the configured rate fixed by the last throttling response. */
  double reducedFactor = 1.0;

  /** Whether a success since then lets the rate climb back. */
  boolean recovering;

  long recoveryStartNanos;
  final ArrayDeque<RateEvent> events = new ArrayDeque<>();

  double factor(long now, double step, long intervalNanos) {
    if (!recovering || reducedFactor >= 1) {
      return reducedFactor;
    }
    long steps = Math.max(0, (now - recoveryStartNanos) / intervalNanos);
    return Math.min(1.0, reducedFactor + steps * step);
  }

  void remember(RateEvent event) {
    if (events.size() == MAX_EVENTS) {
      events.removeFirst();
    }
    events.addLast(event);
  }
}
