package dev.sluice.ratelimit.store;

import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.internal.Evaluator;
import dev.sluice.ratelimit.internal.GcraDecision;
import dev.sluice.ratelimit.internal.Snapshot;
import dev.sluice.ratelimit.internal.StateDecision;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A bounded, lock-free, in-process {@link LimitStore} for a single node.
 *
 * <p>Each key's state is an immutable snapshot replaced by compare-and-set, so threads deciding on
 * different keys never wait for each other and a thread that loses a race on one key backs off (a
 * yield, then brief parks) and retries instead of blocking; a denial writes nothing. A key whose
 * only limit is GCRA keeps its state inline (one long), so its decision is a few arithmetic
 * operations and one object. A key is forgotten once it is whole again (every limit back to full),
 * which loses nothing. When more than {@code maxKeys} keys are tracked, one thread sweeps: it drops
 * every whole key and, if that is not enough, the keys closest to being whole, until an eighth of
 * the room is free. The number of keys is therefore at most {@code maxKeys}, plus one for each
 * thread inserting while a sweep runs.
 *
 * <pre>{@code
 * LimitStore store = MemoryStore.withMaxKeys(1_000_000);
 * }</pre>
 */
public final class MemoryStore implements LimitStore {
  /** The bound used by {@link #create()}. */
  public static final long DEFAULT_MAX_KEYS = 1_000_000;

  private static final int SAMPLE = 512;

  /** Marks an entry that a sweep removed; a decision that finds it starts the key afresh. */
  private static final Snapshot DEAD = new ArrayState(List.of(), new long[0], 0, 0);

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final long maxKeys;
  private final long target;
  private final ReentrantLock sweepLock = new ReentrantLock();
  private final LongAdder evictions = new LongAdder();

  private MemoryStore(long maxKeys) {
    if (maxKeys < 1) {
      throw new RateLimitConfigException("store.max-keys must be >= 1, was " + maxKeys);
    }
    this.maxKeys = maxKeys;
    this.target = maxKeys - Math.max(1, maxKeys / 8);
  }

  /**
   * A store bounded to {@value #DEFAULT_MAX_KEYS} keys.
   *
   * @return a new store
   */
  public static MemoryStore create() {
    return new MemoryStore(DEFAULT_MAX_KEYS);
  }

  /**
   * A store bounded to {@code maxKeys} keys.
   *
   * @param maxKeys the most keys to keep state for, at least 1
   * @return a new store
   * @throws RateLimitConfigException if {@code maxKeys} is below 1
   */
  public static MemoryStore withMaxKeys(long maxKeys) {
    return new MemoryStore(maxKeys);
  }

  /**
   * The configured bound.
   *
   * @return the most keys kept
   */
  public long maxKeys() {
    return maxKeys;
  }

  @Override
  public long size() {
    return entries.mappingCount();
  }

  /**
   * The keys whose state sweeps dropped since the store was created: idle keys whole again and,
   * when every key is active, the keys closest to whole. A key dropped returns with a fresh state.
   *
   * @return the number of keys evicted so far
   */
  public long evictions() {
    return evictions.sum();
  }

  @Override
  public Decision decide(String key, List<Limit> limits, long cost, long nowNanos) {
    Entry entry = entries.get(key);
    if (entry == null) {
      entry = insert(key, nowNanos);
    }
    boolean gcra = GcraDecision.covers(limits);
    int losses = 0;
    while (true) {
      Snapshot current = entry.state;
      if (current == DEAD) {
        entries.remove(key, entry);
        entry = insert(key, nowNanos);
        continue;
      }
      Decision decision =
          gcra
              ? decideGcra(entry, current, limits, cost, nowNanos)
              : decideArray(entry, current, limits, cost, nowNanos);
      if (decision != null) {
        return decision;
      }
      // Lost a race on a hot key. Step aside before retrying on the winner's state: the winner
      // keeps the key's cache line and decides again without a fight, where retrying at once
      // makes both threads bounce the line and fail in turn. First a yield; a thread that loses
      // again parks for the shortest timed wait the platform offers (tens of microseconds on
      // Linux). Two threads on one key (ops/us over several runs, see docs/benchmarks.md):
      // retrying at once 3.7-25 (mostly 12 or below), a yield only 11-24, a yield then parks
      // 22-27; a spin-wait pause measured 3x slower than retrying at once.
      if (++losses == 1) {
        Thread.yield();
      } else {
        LockSupport.parkNanos(1);
      }
    }
  }

  /**
   * One attempt on a key with a single GCRA limit: its state is one long inside the decision, so
   * the time between reading the state and writing it back is a few arithmetic operations.
   *
   * @return the decision, or null when another thread changed the state first
   */
  private static @Nullable Decision decideGcra(
      Entry entry, @Nullable Snapshot current, List<Limit> limits, long cost, long nowNanos) {
    long now = nowNanos;
    long tat = now;
    if (current != null) {
      // a thread with an older reading of the clock acts at the latest time seen
      now = Math.max(now, current.nowNanos());
      if (current instanceof GcraDecision same
          && (same.limits() == limits || same.limits().equals(limits))) {
        tat = same.tat();
      } else if (now < current.wholeAt()) {
        tat = Evaluator.migrate(current.limits(), current.state(), limits, now)[0];
      }
    }
    GcraDecision next = GcraDecision.decide(limits, tat, cost, now);
    if (!next.allowed() || entry.compareAndSet(current, next)) {
      return next;
    }
    return null;
  }

  /**
   * One attempt on a key with any limits, over the state array.
   *
   * @return the decision, or null when another thread changed the state first
   */
  private static @Nullable Decision decideArray(
      Entry entry, @Nullable Snapshot current, List<Limit> limits, long cost, long nowNanos) {
    long now = nowNanos;
    long[] s;
    if (current == null) {
      s = Evaluator.fresh(limits, now);
    } else {
      now = Math.max(now, current.nowNanos());
      if (now >= current.wholeAt()) {
        s = Evaluator.fresh(limits, now);
      } else if (current.limits() == limits || current.limits().equals(limits)) {
        s = current.state().clone();
      } else {
        s = Evaluator.migrate(current.limits(), current.state(), limits, now);
      }
    }
    long violated = Evaluator.charge(limits, s, cost, now);
    if (violated != 0) {
      return StateDecision.denied(
          limits, s, now, Evaluator.retryAfter(limits, s, cost, now), violated);
    }
    // the decision is the key's new state: one object a call
    ArrayState next = new ArrayState(limits, s, now, Evaluator.wholeAt(limits, s, now));
    return entry.compareAndSet(current, next) ? next : null;
  }

  private Entry insert(String key, long now) {
    Entry fresh = new Entry();
    Entry prior = entries.putIfAbsent(key, fresh);
    if (prior != null) {
      return prior;
    }
    if (entries.mappingCount() > maxKeys) {
      // one sweeper at a time; other inserters wait for it, so each adds at most one key meanwhile
      sweepLock.lock();
      try {
        if (entries.mappingCount() > maxKeys) {
          sweep(now);
        }
      } finally {
        sweepLock.unlock();
      }
    }
    return fresh;
  }

  /** Drops whole keys, then the keys closest to whole, until the size is at most the target. */
  private void sweep(long now) {
    evictWholeBy(now, Long.MAX_VALUE);
    long excess = entries.mappingCount() - target;
    if (excess <= 0) {
      return;
    }
    long[] sample = sampleWholeAt();
    if (sample.length > 0) {
      Arrays.sort(sample);
      double share = Math.min(1.0, (double) excess / Math.max(1, entries.mappingCount()));
      int index = (int) Math.min(sample.length - 1, Math.ceil(share * sample.length));
      evictWholeBy(sample[index], entries.mappingCount() - target);
    }
    evictWholeBy(Long.MAX_VALUE, entries.mappingCount() - target);
  }

  private long[] sampleWholeAt() {
    long[] sample = new long[SAMPLE];
    int n = 0;
    for (Entry entry : entries.values()) {
      if (n == SAMPLE) {
        break;
      }
      Snapshot state = entry.state;
      sample[n++] = state == null ? Long.MIN_VALUE : state.wholeAt();
    }
    return Arrays.copyOf(sample, n);
  }

  /**
   * Removes keys whole by {@code threshold}; with a finite budget, at most that many, and
   * regardless of the time when the threshold is {@code Long.MAX_VALUE}.
   */
  private void evictWholeBy(long threshold, long budget) {
    if (budget <= 0) {
      return;
    }
    long removed = 0;
    long dropped = 0; // removed keys that held a state: a fresh placeholder loses nothing
    Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
    while (it.hasNext() && removed < budget) {
      Map.Entry<String, Entry> mapping = it.next();
      Entry entry = mapping.getValue();
      Snapshot state = entry.state;
      boolean due = state == null || state.wholeAt() <= threshold;
      if (state != DEAD && due && entry.compareAndSet(state, DEAD)) {
        entries.remove(mapping.getKey(), entry);
        removed++;
        if (state != null) {
          dropped++;
        }
      }
    }
    evictions.add(dropped);
  }

  @Override
  public String toString() {
    return "MemoryStore[keys=" + entries.mappingCount() + ", maxKeys=" + maxKeys + "]";
  }

  /** The mutable cell of one key: a reference to its current immutable snapshot. */
  private static final class Entry {
    private static final VarHandle STATE;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Entry.class, "state", Snapshot.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    volatile @Nullable Snapshot state;

    boolean compareAndSet(@Nullable Snapshot expected, Snapshot next) {
      return STATE.compareAndSet(this, expected, next);
    }
  }

  /** One key's state as an array, and the decision that made it; replaced whole, never changed. */
  private static final class ArrayState extends StateDecision implements Snapshot {
    private final long wholeAt;

    ArrayState(List<Limit> limits, long[] values, long time, long wholeAt) {
      super(limits, values, time);
      this.wholeAt = wholeAt;
    }

    @Override
    public long wholeAt() {
      return wholeAt;
    }
  }
}
