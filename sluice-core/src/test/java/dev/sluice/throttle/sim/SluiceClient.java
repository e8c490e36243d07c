package dev.sluice.throttle.sim;

import dev.sluice.throttle.Permit;
import dev.sluice.throttle.Throttle;
import dev.sluice.throttle.ThrottleConfig;
import java.io.IOException;

/** Workers that go through a Sluice {@link Throttle}, reporting every response's headers. */
public final class SluiceClient implements SimClient {
  private final ThrottleConfig config;
  private Throttle throttle;

  /** A client with the configuration used in the acceptance runs. */
  public static SluiceClient standard() {
    return new SluiceClient(ThrottleConfig.builder().maxConcurrency(32).build());
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
