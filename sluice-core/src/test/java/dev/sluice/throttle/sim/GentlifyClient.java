package dev.sluice.throttle.sim;

import java.util.ArrayDeque;

/**
 * gentlify's algorithm as published (defaults: interval 0.2 s to 30 s, jitter 0.5, 3 failures in 60
 * s, 60 s cooling, ceiling decay after 300 s), defects included: the dispatch gate computes each
 * caller's wait from the last dispatch and writes the last dispatch only after the wait, so callers
 * that wait at the same time are not spaced; and it speeds up once after each slow-down. It does
 * not read rate-limit headers. Maximum concurrency as for Sluice.
 */
public final class GentlifyClient implements SimClient {
  private static final double MIN_INTERVAL = 0.2;
  private static final double MAX_INTERVAL = 30;
  private static final double JITTER = 0.5;
  private static final int THRESHOLD = 3;
  private static final double WINDOW = 60;
  private static final double COOLING = 60;
  private static final double DECAY = 300;

  private final int maxConcurrency;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private final ArrayDeque<Double> failures = new ArrayDeque<>();
  private int limit;
  private int inFlight;
  private double interval = MIN_INTERVAL;
  private Double lastDispatch;
  private boolean cooling;
  private double coolingStart;
  private Double lastFailure;
  private int ceiling;
  private SimEnv env;

  public GentlifyClient(int maxConcurrency) {
    this.maxConcurrency = maxConcurrency;
    this.limit = maxConcurrency;
    this.ceiling = maxConcurrency;
  }

  @Override
  public String name() {
    return "gentlify as published";
  }

  @Override
  public void start(SimEnv env) {
    this.env = env;
    for (int i = 0; i < env.scenario().workers(); i++) {
      acquire();
    }
  }

  private double now() {
    return env.time().nanoTime() / 1e9;
  }

  private void acquire() {
    if (env.over()) {
      return;
    }
    if (inFlight < limit) {
      inFlight++;
      gate();
    } else {
      waiting.addLast(this::acquireQueued);
    }
  }

  private void acquireQueued() {
    inFlight++;
    gate();
  }

  private void gate() {
    double remaining = lastDispatch == null ? 0 : Math.max(0, interval - (now() - lastDispatch));
    double delay = remaining + env.random().nextDouble() * interval * JITTER;
    env.after(
        (long) (delay * 1e9),
        () -> {
          lastDispatch = now(); // written after the wait: the published defect
          env.send(
              response -> {
                if (response.rejected()) {
                  onFailure();
                } else {
                  onSuccess();
                }
                inFlight--;
                while (inFlight < limit && !waiting.isEmpty()) {
                  waiting.pollFirst().run();
                }
                acquire();
              });
        });
  }

  private void onSuccess() {
    if (cooling && now() - coolingStart >= COOLING) {
      limit = Math.min(limit + 1, ceiling);
      interval = Math.max(interval / 2, MIN_INTERVAL);
      cooling = false; // and never again until the next slow-down: the published defect
    }
    if (lastFailure != null && now() - lastFailure >= DECAY) {
      ceiling = maxConcurrency;
      lastFailure = null;
    }
  }

  private void onFailure() {
    double now = now();
    while (!failures.isEmpty() && now - failures.peekFirst() >= WINDOW) {
      failures.pollFirst();
    }
    failures.addLast(now);
    lastFailure = now;
    if (failures.size() >= THRESHOLD) {
      int old = limit;
      limit = Math.max(1, limit / 2);
      interval = Math.min(interval * 2, MAX_INTERVAL);
      ceiling = old;
      failures.clear();
      cooling = true;
      coolingStart = now;
    }
  }
}
