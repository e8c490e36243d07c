package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.retry.RetryPolicy;
import dev.sluice.throttle.ThrottleConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigExceptionTest {

  @Test
  void itCarriesTheKeyTheRuleAndTheValueAndSaysThemInItsMessage() {
    ConfigException e = new ConfigException("throttle.max-concurrency", "must be >= 1", 0);

    assertThat(e).hasMessage("throttle.max-concurrency must be >= 1, was 0");
    assertThat(e.key()).isEqualTo("throttle.max-concurrency");
    assertThat(e.rule()).isEqualTo("must be >= 1");
    assertThat(e.value()).isEqualTo("0");
    assertThat(e).isInstanceOf(SluiceException.class);
  }

  @Test
  void aMessageInTheHouseFormatIsReadBackIntoItsParts() {
    ConfigException e =
        new ConfigException("breaker.max-open-delay must be >= open-delay (PT10S), was PT1S");

    assertThat(e.key()).isEqualTo("breaker.max-open-delay");
    assertThat(e.rule()).isEqualTo("must be >= open-delay (PT10S)");
    assertThat(e.value()).isEqualTo("PT1S");
  }

  @Test
  void theCoresConfigsAllThrowIt() {
    assertThatThrownBy(() -> ThrottleConfig.builder().maxConcurrency(0).build())
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.key()).isEqualTo("throttle.max-concurrency");
              assertThat(e.value()).isEqualTo("0");
            });
    assertThatThrownBy(
            () -> CircuitBreakerConfig.builder().openDelay(Duration.ofSeconds(-1)).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("breaker.open-delay");
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("retry.max-attempts");
  }
}
