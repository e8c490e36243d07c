package dev.sluice.throttle.sim;

import dev.sluice.throttle.Permit;
import dev.sluice.throttle.Throttle;
import dev.sluice.throttle.ThrottleConfig;
import dev.sluice.throttle.ThrottleSnapshot;
import java.io.IOException;

/** Workers that go through a Sluice {@link Throttle}, reporting every response's headers. */
public final class SluiceClient implements SimClient {
  private final ThrottleConfig config;
  private Throttle throttle;

  /** A client with the configuration used in the acceptance runs. */
  public static SluiceClient standard() {
    ThrottleConfig.Builder b = ThrottleConfig.builder().maxConcurrency(32);
    if (System.getenv("SIM_THRESHOLD") != null) {
      b.failureThreshold(Integer.parseInt(System.getenv("SIM_THRESHOLD")));
    }
    if (System.getenv("SIM_COOLING") != null) {
      b.coolingPeriod(java.time.Duration.ofMillis(Long.parseLong(System.getenv("SIM_COOLING"))));
    }
    return new SluiceClient(b.build());
  }

  public SluiceClient(ThrottleConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "Sluice throttle";
  }

  /** The throttle, once started, for inspection. */
  public Throttle throttle() {
    return throttle;
  }

  @Override
  public void start(SimEnv env) {
    throttle = Throttle.create(config, env.time(), env.random());
    for (int i = 0; i < env.scenario().workers(); i++) {
      next(env);
    }
    if (System.getenv("SIM_TRACE") != null
        && env.scenario().name().contains(System.getenv("SIM_TRACE"))) {
      trace(env);
    }
  }

  private void trace(SimEnv env) {
    env.after(
        2_000_000_000L,
        () -> {
          ThrottleSnapshot s = throttle.snapshot();
          System.out.printf(
              "t=%ds c=%d ceil=%d inflight=%d wait=%d interval=%s server=%s state=%s%n",
              env.time().nanoTime() / 1_000_000_000L,
              s.concurrency(),
              s.safeCeiling(),
              s.inFlight(),
              s.waiting(),
              s.dispatchInterval().toNanos() / 1e6,
              s.serverInterval().toNanos() / 1e6,
              s.state());
          if (!env.over()) {
            trace(env);
          }
        });
  }

  private void next(SimEnv env) {
    if (env.over()) {
      return;
    }
    throttle
        .acquireAsync()
        .thenAccept(permit -> env.send(response -> finish(env, permit, response)));
  }

  private void finish(SimEnv env, Permit permit, SimResponse response) {
    permit.recordHeaders(response.headers());
    if (response.rejected()) {
      permit.recordFailure(new IOException("HTTP 429"));
    } else {
      permit.recordSuccess();
    }
    permit.close();
    next(env);
  }
}
