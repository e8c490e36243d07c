package dev.sluice.redis;

import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.store.MemoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Local limits for when Redis is away: an in-memory store enforcing this node's share of every
 * limit, {@code quota / nodes} and {@code burst / nodes} rounded down and at least 1, so that the
 * nodes together admit about what the shared limit would have.
 */
final class FallbackLimits {
  private static final int MAX_REMEMBERED_LISTS = 1024;

  private final int nodes;
  private final MemoryStore store;
  private final ConcurrentHashMap<List<Limit>, List<Limit>> shares = new ConcurrentHashMap<>();

  FallbackLimits(int nodes, long maxKeys) {
    this.nodes = nodes;
    this.store = MemoryStore.withMaxKeys(maxKeys);
  }

  Decision decide(String key, List<Limit> limits, long cost, long nowNanos) {
    return store.decide(key, share(limits), cost, nowNanos);
  }

  List<Limit> share(List<Limit> limits) {
    if (nodes == 1) {
      return limits;
    }
    List<Limit> shared = shares.get(limits);
    if (shared == null) {
      if (shares.size() >= MAX_REMEMBERED_LISTS) {
        shares.clear();
      }
      shared = shares.computeIfAbsent(limits, this::divide);
    }
    return shared;
  }

  private List<Limit> divide(List<Limit> limits) {
    List<Limit> out = new ArrayList<>(limits.size());
    for (Limit limit : limits) {
      Limit.Builder builder = limit.toBuilder().quota(Math.max(1, limit.quota() / nodes));
      if (limit.algorithm().hasBurst()) {
        builder.burst(Math.max(1, limit.burst() / nodes));
      }
      out.add(builder.build());
    }
    return List.copyOf(out);
  }

  long size() {
    return store.size();
  }
}
