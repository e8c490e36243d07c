package dev.sluice.testkit;

import dev.sluice.time.TimeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The limiter behind {@link RateLimitedServer}: request bucket or fixed window, the optional token
 * quota, the limit schedule and the per-second statistics, all under one lock.
 */
final class RateLimiterState {
  private static final double NANOS = 1e9;

  private final ReentrantLock lock = new ReentrantLock();
  private final TimeSource time;
  private final RateLimitAlgorithm algorithm;
  private final long windowNanos;
  private final List<RateLimitChange> schedule;
  private final long tokensPerMinute;
  private final long startNanos;

  private int nextChange;
  private double rate;
  private double burst;
  private double tokens;
  private long lastNanos;
  private long windowIndex;
  private long windowUsed;
  private double quotaTokens;
  private long quotaLastNanos;
  private final List<long[]> perSecond = new ArrayList<>();
  private long admittedTotal;
  private long refusedTotal;

  RateLimiterState(
      TimeSource time,
      RateLimitAlgorithm algorithm,
      double rate,
      double burst,
      long windowNanos,
      List<RateLimitChange> schedule,
      long tokensPerMinute) {
    this.time = time;
    this.algorithm = algorithm;
    this.rate = rate;
    this.burst = burst;
    this.windowNanos = windowNanos;
    this.schedule = List.copyOf(schedule);
    this.tokensPerMinute = tokensPerMinute;
    this.startNanos = time.nanoTime();
    this.tokens = burst;
    this.lastNanos = startNanos;
    this.quotaTokens = tokensPerMinute;
    this.quotaLastNanos = startNanos;
  }

  RateDecision decide(long cost) {
    lock.lock();
    try {
      long nowNanos = time.nanoTime();
      applySchedule(nowNanos);
      refill(nowNanos);
      refillQuota(nowNanos);
      long elapsed = nowNanos - startNanos;
      long retryNanos = 0;
      boolean requestOk;
      if (algorithm == RateLimitAlgorithm.TOKEN_BUCKET) {
        requestOk = tokens >= 1;
        if (!requestOk) {
          retryNanos = (long) Math.ceil((1 - tokens) / rate * NANOS);
        }
      } else {
        long index = elapsed / windowNanos;
        if (index != windowIndex) {
          windowIndex = index;
          windowUsed = 0;
        }
        requestOk = windowUsed < windowQuota();
        if (!requestOk) {
          retryNanos = (windowIndex + 1) * windowNanos - elapsed;
        }
      }
      boolean quotaOk = tokensPerMinute == 0 || quotaTokens >= cost;
      if (!quotaOk) {
        double missing = cost - quotaTokens;
        long quotaWait =
            cost > tokensPerMinute
                ? Long.MAX_VALUE / 4
                : (long) Math.ceil(missing / (tokensPerMinute / 60.0) * NANOS);
        retryNanos = Math.max(retryNanos, quotaWait);
      }
      boolean admitted = requestOk && quotaOk;
      if (admitted) {
        retryNanos = 0;
        if (algorithm == RateLimitAlgorithm.TOKEN_BUCKET) {
          tokens -= 1;
        } else {
          windowUsed++;
        }
        quotaTokens -= tokensPerMinute == 0 ? 0 : cost;
      }
      count(elapsed, admitted);
      return snapshot(admitted, elapsed, retryNanos);
    } finally {
      lock.unlock();
    }
  }

  private RateDecision snapshot(boolean admitted, long elapsed, long retryNanos) {
    long remaining;
    long toReset;
    long quota = 0;
    long windowSeconds = 0;
    if (algorithm == RateLimitAlgorithm.TOKEN_BUCKET) {
      remaining = (long) Math.floor(tokens);
      toReset = (long) Math.ceil((burst - tokens) / rate * NANOS);
    } else {
      quota = windowQuota();
      remaining = Math.max(0, quota - windowUsed);
      toReset = (windowIndex + 1) * windowNanos - elapsed;
      windowSeconds = Math.max(1, (long) Math.ceil(windowNanos / NANOS));
    }
    long quotaRemaining = (long) Math.floor(quotaTokens);
    long quotaToFull =
        tokensPerMinute == 0
            ? 0
            : (long) Math.ceil((tokensPerMinute - quotaTokens) / (tokensPerMinute / 60.0) * NANOS);
    return new RateDecision(
        admitted,
        algorithm,
        rate,
        remaining,
        Math.max(0, toReset),
        retryNanos,
        quota,
        windowSeconds,
        windowUsed,
        tokensPerMinute,
        quotaRemaining,
        Math.max(0, quotaToFull),
        time.now());
  }

  private long windowQuota() {
    return Math.max(1, (long) Math.floor(rate * windowNanos / NANOS + 1e-9));
  }

  private void applySchedule(long nowNanos) {
    while (nextChange < schedule.size()) {
      RateLimitChange change = schedule.get(nextChange);
      long at = startNanos + change.offset().toNanos();
      if (at > nowNanos) {
        return;
      }
      refill(at);
      rate = change.rate();
      burst = change.burst();
      tokens = Math.min(tokens, burst);
      nextChange++;
    }
  }

  private void refill(long nowNanos) {
    if (nowNanos > lastNanos) {
      tokens = Math.min(burst, tokens + rate * (nowNanos - lastNanos) / NANOS);
      lastNanos = nowNanos;
    }
  }

  private void refillQuota(long nowNanos) {
    if (tokensPerMinute > 0 && nowNanos > quotaLastNanos) {
      quotaTokens =
          Math.min(
              tokensPerMinute,
              quotaTokens + tokensPerMinute / 60.0 * (nowNanos - quotaLastNanos) / NANOS);
      quotaLastNanos = nowNanos;
    }
  }

  private void count(long elapsed, boolean admitted) {
    int second = (int) (elapsed / 1_000_000_000L);
    while (perSecond.size() <= second) {
      perSecond.add(new long[2]);
    }
    perSecond.get(second)[admitted ? 0 : 1]++;
    if (admitted) {
      admittedTotal++;
    } else {
      refusedTotal++;
    }
  }

  long[] perSecond(boolean admitted) {
    lock.lock();
    try {
      long[] out = new long[perSecond.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = perSecond.get(i)[admitted ? 0 : 1];
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  long total(boolean admitted) {
    lock.lock();
    try {
      return admitted ? admittedTotal : refusedTotal;
    } finally {
      lock.unlock();
    }
  }
}
