package dev.sluice.metrics;

import dev.sluice.event.PolicyEvent;
import dev.sluice.event.PolicyListener;
import dev.sluice.event.RetryAttempted;
import dev.sluice.retry.RetryDecision;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Metrics of a retry policy: pass it to the policy's builder as a listener and bind it. Attempts
 * are counted from the start, whether or not the binder is bound yet.
 *
 * <pre>{@code
 * RetryMetrics metrics = new RetryMetrics("payments");
 * RetryPolicy policy = RetryPolicy.builder().maxAttempts(5).listener(metrics).build();
 * metrics.bindTo(registry);
 * }</pre>
 *
 * <p>Meters, tagged with the policy's name: {@code sluice.retry.attempts} by outcome ({@code
 * success}, {@code retried}: failed and tried again, {@code given_up}: failed and final) and {@code
 * sluice.retry.given.up} by reason.
 */
public final class RetryMetrics implements MeterBinder, PolicyListener {
  private static final RetryDecision.Reason[] REASONS = RetryDecision.Reason.values();

  private final String name;
  private final LongAdder successes = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder[] givenUp = new LongAdder[REASONS.length];

  /**
   * A binder for one policy.
   *
   * @param name the value of the {@code retry} tag
   * @throws IllegalArgumentException if the name is blank
   */
  public RetryMetrics(String name) {
    this.name = TagValues.requireName("retry.metrics.name", name);
    for (int i = 0; i < givenUp.length; i++) {
      givenUp[i] = new LongAdder();
    }
  }

  @Override
  public void onEvent(PolicyEvent event) {
    if (event instanceof RetryAttempted attempt) {
      if (attempt.decision() instanceof RetryDecision.GiveUp giveUp) {
        givenUp[giveUp.reason().ordinal()].increment();
      } else if (attempt.retrying()) {
        retries.increment();
      } else {
        successes.increment();
      }
    }
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    attempts(registry, "success", successes);
    attempts(registry, "retried", retries);
    FunctionCounter.builder("sluice.retry.attempts", givenUp, RetryMetrics::sum)
        .description("Attempts by outcome")
        .tags("retry", name, "outcome", "given_up")
        .register(registry);
    for (RetryDecision.Reason reason : REASONS) {
      FunctionCounter.builder("sluice.retry.given.up", givenUp[reason.ordinal()], LongAdder::sum)
          .description("Executions the policy gave up on, by reason")
          .tags("retry", name, "reason", TagValues.of(reason))
          .register(registry);
    }
  }

  private void attempts(MeterRegistry registry, String outcome, LongAdder count) {
    FunctionCounter.builder("sluice.retry.attempts", count, LongAdder::sum)
        .description("Attempts by outcome")
        .tags("retry", name, "outcome", outcome)
        .register(registry);
  }

  private static double sum(LongAdder[] adders) {
    long total = 0;
    for (LongAdder adder : adders) {
      total += adder.sum();
    }
    return total;
  }
}
