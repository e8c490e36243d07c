package dev.sluice.ratelimit.policy;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Violations and penalties per client, bounded: a client's record is dropped once its level is
 * forgotten and its violation window is over; when more than {@code maxClients} are tracked the
 * forgettable ones go first, then arbitrary ones until an eighth of the room is free.
 */
final class PenaltyBox implements PenaltyStore {
  private final ConcurrentHashMap<String, Record> records = new ConcurrentHashMap<>();
  private final long maxClients;
  private final ReentrantLock sweepLock = new ReentrantLock();
  private final LongAdder[] started = new LongAdder[PenaltyStats.MAX_LEVEL + 1];

  /** One client's state; replaced, never changed. */
  record Record(long windowStart, int violations, int level, long until, long forgetAt) {}

  PenaltyBox(long maxClients) {
    this.maxClients = maxClients;
    for (int i = 1; i < started.length; i++) {
      started[i] = new LongAdder();
    }
  }

  @Override
  public PenaltyStanding check(String client, long nowNanos) {
    Record record = records.get(client);
    if (record == null || nowNanos >= record.forgetAt) {
      return PenaltyStanding.CLEAR;
    }
    // while a penalty is served its level is remembered: forgetAt = until + resetAfter > now
    return new PenaltyStanding(record.level, nowNanos < record.until ? record.until - nowNanos : 0);
  }

  @Override
  public PenaltyStanding recordViolation(String client, Penalty penalty, long nowNanos) {
    Record after = violation(client, penalty, nowNanos);
    return new PenaltyStanding(after.level, after.until > nowNanos ? after.until - nowNanos : 0);
  }

  /** The client's record if it is serving a penalty at {@code now}, else null. */
  @Nullable Record penalized(String client, long now) {
    Record record = records.get(client);
    return record != null && now < record.until ? record : null;
  }

  /** The client's current level, 0 when none is remembered. */
  int level(String client, long now) {
    Record record = records.get(client);
    return record == null || now >= record.forgetAt ? 0 : record.level;
  }

  /**
   * Counts a violation; returns the record after it, whose {@code until} lies in the future when
   * this violation started a penalty.
   */
  Record violation(String client, Penalty penalty, long now) {
    boolean[] began = new boolean[1];
    Record after =
        records.compute(
            client,
            (key, before) -> {
              Record next = next(before, penalty, now);
              // a record with no violations counted is a penalty that starts now
              began[0] = next != before && next.violations == 0;
              return next;
            });
    if (began[0]) {
      started[Math.min(after.level, PenaltyStats.MAX_LEVEL)].increment();
    }
    if (records.size() > maxClients) {
      sweep(now);
    }
    return after;
  }

  private static Record next(Record before, Penalty penalty, long now) {
    if (before != null && now < before.until) {
      // refused while already serving a penalty (a request that raced its start): no new offence
      return before;
    }
    long window = penalty.window().toNanos();
    long resetAfter = penalty.resetAfter().toNanos();
    int level = 0;
    long until = Long.MIN_VALUE;
    long windowStart = now;
    int violations = 0;
    if (before != null) {
      level = now < before.until + resetAfter ? before.level : 0;
      until = before.until;
      if (now - before.windowStart < window) {
        windowStart = before.windowStart;
        violations = before.violations;
      }
    }
    violations++;
    if (violations >= penalty.threshold()) {
      level++;
      until = now + penalty.cooldownAt(level).toNanos();
      return new Record(now, 0, level, until, until + resetAfter);
    }
    long forgetAt =
        Math.max(windowStart + window, until == Long.MIN_VALUE ? now : until + resetAfter);
    return new Record(windowStart, violations, level, until, forgetAt);
  }

  private void sweep(long now) {
    if (!sweepLock.tryLock()) {
      return;
    }
    try {
      records.values().removeIf(record -> now >= record.forgetAt);
      // free an eighth of the room, so sweeps stay rare while a flood of clients goes on
      long target = maxClients - maxClients / 8;
      Iterator<Record> it = records.values().iterator();
      while (records.size() > target && it.hasNext()) {
        it.next();
        it.remove();
      }
    } finally {
      sweepLock.unlock();
    }
  }

  int size() {
    return records.size();
  }

  /** Counts the clients serving a penalty at {@code now}: one pass over the records kept. */
  @Override
  public PenaltyStats stats(long now) {
    long[] active = new long[PenaltyStats.MAX_LEVEL + 1];
    long tracked = 0;
    for (Record record : records.values()) {
      tracked++;
      if (now < record.until) {
        active[Math.min(record.level, PenaltyStats.MAX_LEVEL)]++;
      }
    }
    long[] begun = new long[PenaltyStats.MAX_LEVEL + 1];
    for (int i = 1; i < started.length; i++) {
      begun[i] = started[i].sum();
    }
    return new PenaltyStats(tracked, active, begun);
  }
}
