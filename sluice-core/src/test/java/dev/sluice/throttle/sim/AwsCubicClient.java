package dev.sluice.throttle.sim;

/**
 * The AWS SDK for Java v2 adaptive rate limiter (CUBIC token bucket), from its published rules:
 * smoothing 0.8, beta 0.7, scale constant 0.4, minimum fill rate 0.5/s, minimum capacity 1; the
 * send rate is measured in half-second buckets; the bucket does not limit until the first
 * throttling response. Workers send without a concurrency bound, and do not retry (the next task
 * follows), so the table compares the rate controllers.
 */
public final class AwsCubicClient implements SimClient {
  private static final double SMOOTH = 0.8;
  private static final double BETA = 0.7;
  private static final double SCALE = 0.4;
  private static final double MIN_FILL = 0.5;
  private static final double MIN_CAPACITY = 1;

  private SimEnv env;
  private double fillRate;
  private double maxCapacity;
  private double currentCapacity;
  private double lastTimestamp = -1;
  private boolean enabled;
  private double measuredTxRate;
  private double lastTxRateBucket;
  private double requestCount;
  private double lastMaxRate;
  private double lastThrottleTime;
  private double timeWindow;

  @Override
  public String name() {
    return "AWS SDK adaptive (CUBIC)";
  }

  @Override
  public void start(SimEnv env) {
    this.env = env;
    lastTxRateBucket = Math.floor(now());
    lastThrottleTime = now();
    for (int i = 0; i < env.scenario().workers(); i++) {
      next();
    }
  }

  private double now() {
    return env.time().nanoTime() / 1e9;
  }

  private void next() {
    if (env.over()) {
      return;
    }
    double wait = acquire();
    env.after(
        (long) (wait * 1e9),
        () ->
            env.send(
                response -> {
                  update(response.rejected());
                  next();
                }));
  }

  /** Takes one token; returns how long to wait first (the token is taken now). */
  private double acquire() {
    if (!enabled) {
      return 0;
    }
    refill();
    double wait = currentCapacity >= 1 ? 0 : (1 - currentCapacity) / fillRate;
    currentCapacity -= 1;
    return wait;
  }

  private void refill() {
    double t = now();
    if (lastTimestamp < 0) {
      lastTimestamp = t;
      return;
    }
    currentCapacity = Math.min(maxCapacity, currentCapacity + (t - lastTimestamp) * fillRate);
    lastTimestamp = t;
  }

  private void update(boolean throttled) {
    updateMeasuredRate();
    double calculated;
    if (throttled) {
      double rateToUse = enabled ? Math.min(measuredTxRate, fillRate) : measuredTxRate;
      lastMaxRate = rateToUse;
      timeWindow = Math.cbrt(lastMaxRate * (1 - BETA) / SCALE);
      lastThrottleTime = now();
      calculated = rateToUse * BETA;
      enabled = true;
    } else {
      timeWindow = Math.cbrt(lastMaxRate * (1 - BETA) / SCALE);
      double dt = now() - lastThrottleTime - timeWindow;
      calculated = SCALE * dt * dt * dt + lastMaxRate;
    }
    double newRate = Math.min(calculated, 2 * measuredTxRate);
    refill();
    fillRate = Math.max(newRate, MIN_FILL);
    maxCapacity = Math.max(newRate, MIN_CAPACITY);
    currentCapacity = Math.min(currentCapacity, maxCapacity);
  }

  private void updateMeasuredRate() {
    double t = now();
    double bucket = Math.floor(t * 2) / 2;
    requestCount++;
    if (bucket > lastTxRateBucket) {
      double rate = requestCount / (bucket - lastTxRateBucket);
      measuredTxRate = rate * SMOOTH + measuredTxRate * (1 - SMOOTH);
      requestCount = 0;
      lastTxRateBucket = bucket;
    }
  }
}
