package dev.sluice.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The heaviest clients in bounded memory: the Space-Saving algorithm over a fixed number of slots
 * (ten per reported client, at least 64). A client that holds a slot is counted exactly from the
 * moment it got it; a newcomer takes the slot of the lightest one and inherits its count as an
 * upper bound of error, so a client with more than {@code total / slots} requests is always among
 * the slots. Memory and the number of series never grow with the number of clients.
 *
 * <p>Safe for concurrent use; one short lock per recorded request, nothing blocks inside it.
 */
public final class TopClients {
  /** How many clients are reported by default. */
  public static final int DEFAULT_SIZE = 10;

  private final int size;
  private final int slots;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, long[]> counts = new HashMap<>();
  private final LongAdder total = new LongAdder();

  /**
   * Tracks the {@code size} heaviest clients.
   *
   * @param size how many clients to report, at least 1
   * @throws IllegalArgumentException if {@code size} is below 1 or above 1000
   */
  public TopClients(int size) {
    if (size < 1 || size > 1000) {
      throw new IllegalArgumentException("top-clients.size must be in 1..1000, was " + size);
    }
    this.size = size;
    this.slots = Math.max(64, size * 10);
  }

  /**
   * Counts one request of a client.
   *
   * @param client the client's identity key
   */
  public void record(String client) {
    record(client, 1);
  }

  /**
   * Counts requests of a client at once, such as one sampled request standing for {@code weight}.
   *
   * @param client the client's identity key
   * @param weight how many requests, at least 1
   * @throws IllegalArgumentException if {@code weight} is below 1
   */
  public void record(String client, long weight) {
    if (weight < 1) {
      throw new IllegalArgumentException("top-clients weight must be >= 1, was " + weight);
    }
    total.add(weight);
    lock.lock();
    try {
      long[] count = counts.get(client);
      if (count != null) {
        count[0] += weight;
        return;
      }
      if (counts.size() < slots) {
        counts.put(client, new long[] {weight});
        return;
      }
      String lightest = null;
      long fewest = Long.MAX_VALUE;
      for (Map.Entry<String, long[]> e : counts.entrySet()) {
        if (e.getValue()[0] < fewest) {
          fewest = e.getValue()[0];
          lightest = e.getKey();
        }
      }
      counts.remove(lightest);
      counts.put(client, new long[] {fewest + weight});
    } finally {
      lock.unlock();
    }
  }

  /**
   * How many clients are reported.
   *
   * @return the configured size
   */
  public int size() {
    return size;
  }

  /**
   * All requests recorded, of every client.
   *
   * @return the total
   */
  public long total() {
    return total.sum();
  }

  /**
   * The heaviest clients, heaviest first, at most {@link #size()} of them.
   *
   * @return client identity and its (upper-bound) request count
   */
  public List<Map.Entry<String, Long>> top() {
    List<Map.Entry<String, Long>> all = new ArrayList<>();
    lock.lock();
    try {
      counts.forEach((client, count) -> all.add(Map.entry(client, count[0])));
    } finally {
      lock.unlock();
    }
    all.sort(
        Comparator.comparing(Map.Entry<String, Long>::getValue)
            .reversed()
            .thenComparing(Map.Entry::getKey));
    return List.copyOf(all.subList(0, Math.min(size, all.size())));
  }

  /**
   * The count of the client at one rank, for a gauge.
   *
   * @param rank from 1
   * @return its requests, 0 when fewer clients were seen
   */
  double countAt(int rank) {
    List<Map.Entry<String, Long>> top = top();
    return rank <= top.size() ? top.get(rank - 1).getValue() : 0;
  }

  /**
   * Requests of every client outside the reported ones.
   *
   * @return the total minus the reported counts, never negative
   */
  double others() {
    long reported = 0;
    for (Map.Entry<String, Long> e : top()) {
      reported += e.getValue();
    }
    return Math.max(0, total.sum() - reported);
  }
}
