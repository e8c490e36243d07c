package dev.sluice.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.retry.Backoff;
import dev.sluice.retry.RetryPolicy;
import dev.sluice.retry.RetrySchedule;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A dispatch's retry option is a schedule, never half of a policy: the numbers come from the
 * option, what is retried from the task's own policy.
 */
class DispatchRetryOptionsTest extends FixtureTest {

  private static final RetrySchedule FIVE_TRIES_TEN_SECONDS_APART =
      RetryPolicy.builder()
          .maxAttempts(5)
          .backoff(Backoff.fixed(Duration.ofSeconds(10)))
          .build()
          .schedule();

  @Test
  void theDispatchScheduleReplacesTheTaskScheduleButTheTaskStillDecidesWhatIsRetried() {
    AtomicInteger invocations = new AtomicInteger();
    Task<String, String> task =
        f.durable.register(
            Task.<String, String>of(
                    "picky",
                    String.class,
                    String.class,
                    (ctx, in) -> {
                      invocations.incrementAndGet();
                      if (in.equals("fatal")) {
                        throw new IllegalArgumentException("never retried: " + in);
                      }
                      throw new IllegalStateException("retried: " + in);
                    })
                .withRetry(
                    RetryPolicy.builder()
                        .maxAttempts(2)
                        .backoff(Backoff.fixed(Duration.ofSeconds(1)))
                        .abortOn(IllegalArgumentException.class)
                        .build()));
    DispatchOptions options = DispatchOptions.builder().retry(FIVE_TRIES_TEN_SECONDS_APART).build();

    ExecutionId transientId = f.durable.dispatch(task, "transient", options);
    ExecutionId fatalId = f.durable.dispatch(task, "fatal", options);
    long failedAt = f.now();
    f.worker();

    await().until(() -> f.durable.find(fatalId).state() == ExecutionState.FAILED);
    assertThat(f.durable.find(fatalId).attempt()).isEqualTo(1);

    await().until(() -> f.durable.find(transientId).attempt() == 2);
    assertThat(f.durable.find(transientId).maxAttempts()).isEqualTo(5);
    assertThat(f.durable.find(transientId).scheduledFor()).isEqualTo(failedAt + 10_000);
  }

  @Test
  void withoutADispatchScheduleTheTaskPolicysScheduleIsStored() {
    Task<String, String> task =
        f.durable.register(
            Task.<String, String>of("plain", String.class, String.class, (ctx, in) -> in)
                .withRetry(RetryPolicy.builder().maxAttempts(7).build()));

    ExecutionId id = f.durable.dispatch(task, "x", DispatchOptions.defaults());

    assertThat(f.durable.find(id).maxAttempts()).isEqualTo(7);
  }
}
