package dev.sluice.throttle.sim;

import java.util.List;

/**
 * Retry with backoff alone, no throttle: every worker sends at once; on a 429 it waits a
 * full-jitter exponential backoff, U[0, min(20 s, 100 ms * 2^attempt)), or the server's Retry-After
 * if longer, and retries; a success resets its attempt count.
 */
public final class RetryBackoffClient implements SimClient {
  private static final long BASE_NANOS = 100_000_000L;
  private static final long CAP_NANOS = 20_000_000_000L;

  @Override
  public String name() {
    return "retry with backoff alone";
  }

  @Override
  public void start(SimEnv env) {
    for (int i = 0; i < env.scenario().workers(); i++) {
      attempt(env, 0);
    }
  }

  private void attempt(SimEnv env, int failures) {
    if (env.over()) {
      return;
    }
    env.send(
        response -> {
          if (!response.rejected()) {
            attempt(env, 0);
            return;
          }
          long ceiling = Math.min(CAP_NANOS, BASE_NANOS << Math.min(failures, 20));
          long wait = (long) (env.random().nextDouble() * ceiling);
          List<String> retryAfter = response.headers().get("Retry-After");
          if (retryAfter != null) {
            wait = Math.max(wait, Long.parseLong(retryAfter.get(0)) * 1_000_000_000L);
          }
          env.after(wait, () -> attempt(env, failures + 1));
        });
  }
}
