package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.Sluice;
import dev.sluice.breaker.CircuitBreaker;
import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.breaker.CircuitOpenException;
import dev.sluice.retry.Backoff;
import dev.sluice.retry.RetryPolicy;
import dev.sluice.time.ManualTimeSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BreakerAndRetryMetricsTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void breakerStateCallsTransitionsAndRefusals() throws Exception {
    CircuitBreakerMetrics metrics = new CircuitBreakerMetrics();
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .name("payments")
            .config(
                CircuitBreakerConfig.builder()
                    .consecutiveFailures(2)
                    .openDelay(Duration.ofSeconds(10))
                    .build())
            .timeSource(time)
            .listener(metrics)
            .build();
    metrics.track(breaker).bindTo(registry);

    assertThat(breaker.call(() -> "ok")).isEqualTo("ok");
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> breaker.call(() -> fail())).isInstanceOf(IOException.class);
    }
    assertThatThrownBy(() -> breaker.call(() -> "refused"))
        .isInstanceOf(CircuitOpenException.class);

    assertThat(state("open")).isEqualTo(1);
    assertThat(state("closed")).isZero();
    assertThat(count("sluice.breaker.calls", "outcome", "success")).isEqualTo(1);
    assertThat(count("sluice.breaker.calls", "outcome", "failure")).isEqualTo(2);
    assertThat(count("sluice.breaker.not.permitted")).isEqualTo(1);
    assertThat(count("sluice.breaker.transitions", "to", "open")).isEqualTo(1);

    time.advance(Duration.ofSeconds(10));
    assertThat(breaker.call(() -> "probe")).isEqualTo("probe");
    assertThat(state("closed")).isEqualTo(1);
    assertThat(count("sluice.breaker.transitions", "to", "half_open")).isEqualTo(1);
    assertThat(count("sluice.breaker.transitions", "to", "closed")).isEqualTo(1);
    assertThat(registry.find("sluice.breaker.state").gauges()).hasSize(5);
  }

  @Test
  void retryAttemptsByOutcomeAndGiveUpsByReason() {
    RetryMetrics metrics = new RetryMetrics("payments");
    metrics.bindTo(registry);
    RetryPolicy policy =
        RetryPolicy.builder()
            .maxAttempts(3)
            .backoff(Backoff.fixed(Duration.ZERO))
            .timeSource(time)
            .listener(metrics)
            .build();
    int[] calls = {0};
    // first execution: fails once, then succeeds; second: fails three times and gives up
    Object result = Sluice.with(policy).get(() -> ++calls[0] < 2 ? fail() : "done");
    assertThat(result).isEqualTo("done");
    assertThatThrownBy(() -> Sluice.with(policy).get(() -> fail())).isNotNull();

    assertThat(count("sluice.retry.attempts", "retry", "payments", "outcome", "success"))
        .isEqualTo(1);
    assertThat(count("sluice.retry.attempts", "retry", "payments", "outcome", "retried"))
        .isEqualTo(3);
    assertThat(count("sluice.retry.attempts", "retry", "payments", "outcome", "given_up"))
        .isEqualTo(1);
    assertThat(count("sluice.retry.given.up", "retry", "payments", "reason", "max_attempts"))
        .isEqualTo(1);
    assertThat(count("sluice.retry.given.up", "retry", "payments", "reason", "aborted")).isZero();
  }

  private double state(String state) {
    return registry
        .get("sluice.breaker.state")
        .tags("breaker", "payments", "state", state)
        .gauge()
        .value();
  }

  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  private static String fail() throws IOException {
    throw new IOException("boom");
  }
}
