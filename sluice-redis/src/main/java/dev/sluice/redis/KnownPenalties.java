package dev.sluice.redis;

import dev.sluice.ratelimit.policy.PenaltyStanding;
import dev.sluice.ratelimit.policy.PenaltyStats;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The penalties in force this node has learnt from Redis, on its own ticker. A penalty never ends
 * early (a violation while one is served changes nothing), so while one is known in force a client
 * is refused without asking Redis, and the figures for metrics come from here. Bounded: when full,
 * ended penalties are dropped, and if none has ended no more are remembered until one does (Redis
 * still answers for them).
 */
final class KnownPenalties {
  private final ConcurrentHashMap<String, Serving> serving = new ConcurrentHashMap<>();
  private final long maxClients;
  private final LongAdder[] started = new LongAdder[PenaltyStats.MAX_LEVEL + 1];

  private record Serving(int level, long untilNanos) {}

  KnownPenalties(long maxClients) {
    this.maxClients = maxClients;
    for (int i = 1; i < started.length; i++) {
      started[i] = new LongAdder();
    }
  }

  /** The penalty a client is known to serve at {@code now}, or null. */
  @Nullable PenaltyStanding serving(String client, long nowNanos) {
    Serving known = serving.get(client);
    if (known == null) {
      return null;
    }
    if (nowNanos - known.untilNanos >= 0) {
      serving.remove(client, known);
      return null;
    }
    return new PenaltyStanding(known.level, known.untilNanos - nowNanos);
  }

  /** Remembers what Redis answered at {@code now}, if it is a penalty in force. */
  void learn(String client, PenaltyStanding standing, long nowNanos) {
    if (!standing.penalized()) {
      return;
    }
    if (serving.size() >= maxClients) {
      serving.values().removeIf(known -> nowNanos - known.untilNanos >= 0);
      if (serving.size() >= maxClients) {
        return;
      }
    }
    serving.put(client, new Serving(standing.level(), nowNanos + standing.remainingNanos()));
  }

  /** Counts a penalty this node's violation started. */
  void started(int level) {
    started[Math.min(Math.max(level, 1), PenaltyStats.MAX_LEVEL)].increment();
  }

  /** The known penalties in force by level and the penalties started here, plus the local ones. */
  PenaltyStats stats(long nowNanos, PenaltyStats local) {
    long[] active = new long[PenaltyStats.MAX_LEVEL + 1];
    long tracked = 0;
    for (Serving known : serving.values()) {
      if (nowNanos - known.untilNanos < 0) {
        tracked++;
        active[Math.min(known.level, PenaltyStats.MAX_LEVEL)]++;
      }
    }
    long[] begun = new long[PenaltyStats.MAX_LEVEL + 1];
    for (int level = 1; level <= PenaltyStats.MAX_LEVEL; level++) {
      active[level] += local.active(level);
      begun[level] = started[level].sum() + local.started(level);
    }
    return PenaltyStats.of(tracked + local.tracked(), active, begun);
  }
}
