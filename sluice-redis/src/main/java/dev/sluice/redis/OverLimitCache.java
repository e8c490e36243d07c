package dev.sluice.redis;

import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.internal.RemoteDecision;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Keys that Redis refused, each until the time its script reply named. A request for such a key
 * with at least the refused cost and the same limits is refused locally until then, without a round
 * trip. The time is taken from the caller's clock at the start of the call that Redis refused, plus
 * the reply's retry-after: Redis decided no earlier than that, so the local refusal ends no later
 * than Redis' own. Bounded: when full, expired entries are dropped, and if that is not enough, all
 * of them (a miss only costs a round trip).
 */
final class OverLimitCache {
  private final int maxEntries;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  OverLimitCache(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** The local refusal of a cached over-limit key, or {@code null} to ask Redis. */
  @Nullable Decision refusal(String key, List<Limit> limits, long cost, long nowNanos) {
    if (maxEntries == 0) {
      return null;
    }
    Entry entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    if (nowNanos - entry.untilNanos >= 0) {
      entries.remove(key, entry);
      return null;
    }
    if (cost < entry.cost || !(entry.limits == limits || entry.limits.equals(limits))) {
      return null;
    }
    Decision refused = entry.decision;
    int n = limits.size();
    long elapsed = nowNanos - entry.atNanos;
    long[] remaining = new long[n];
    long[] resetAfter = new long[n];
    long violated = 0;
    for (int i = 0; i < n; i++) {
      remaining[i] = refused.remaining(i);
      resetAfter[i] = Math.max(0, refused.resetAfterNanos(i) - elapsed);
      if (refused.violated(i)) {
        violated |= 1L << i;
      }
    }
    return RemoteDecision.of(limits, remaining, resetAfter, entry.untilNanos - nowNanos, violated);
  }

  void record(String key, List<Limit> limits, long cost, long nowNanos, Decision decision) {
    if (maxEntries == 0
        || decision.allowed()
        || decision.retryAfterNanos() == Decision.NEVER
        || decision.retryAfterNanos() <= 0) {
      return;
    }
    if (entries.size() >= maxEntries) {
      entries.values().removeIf(e -> nowNanos - e.untilNanos >= 0);
      if (entries.size() >= maxEntries) {
        entries.clear();
      }
    }
    entries.put(
        key, new Entry(limits, cost, nowNanos, nowNanos + decision.retryAfterNanos(), decision));
  }

  int size() {
    return entries.size();
  }

  private record Entry(
      List<Limit> limits, long cost, long atNanos, long untilNanos, Decision decision) {}
}
