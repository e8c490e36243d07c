package dev.sluice.throttle.sim;

import java.time.Duration;

/**
 * The oracle: a fixed limiter that is told the server's true limit at every moment (it follows the
 * halving without having to detect it) and spaces requests exactly 1/L apart.
 */
public final class FixedRateClient implements SimClient {
  private long nextFree = Long.MIN_VALUE;
  private long start;

  @Override
  public String name() {
    return "fixed limiter at true L (oracle)";
  }

  @Override
  public void start(SimEnv env) {
    start = env.time().nanoTime();
    for (int i = 0; i < env.scenario().workers(); i++) {
      next(env);
    }
  }

  private void next(SimEnv env) {
    if (env.over()) {
      return;
    }
    long now = env.time().nanoTime();
    double limit = env.scenario().limitAt(Duration.ofNanos(now - start));
    long slot = Math.max(nextFree, now);
    nextFree = slot + (long) (1e9 / limit);
    env.after(slot - now, () -> env.send(response -> next(env)));
  }
}
