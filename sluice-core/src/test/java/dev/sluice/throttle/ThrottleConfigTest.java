package dev.sluice.throttle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ConfigException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ThrottleConfigTest {

  @Test
  void defaultsAreUsableAsTheyAre() {
    ThrottleConfig config = ThrottleConfig.builder().build();

    assertThat(config.maxConcurrency()).isEqualTo(16);
    assertThat(config.initialConcurrency()).isEqualTo(1);
    assertThat(config.initialRate()).isEqualTo(2.0);
    assertThat(config.minDispatchInterval()).isZero();
    assertThat(config.maxDispatchInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.jitterFraction()).isEqualTo(0.25);
    assertThat(config.failureThreshold()).isEqualTo(1);
    assertThat(config.failureWindow()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.coolingPeriod()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.safeCeilingDecay()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.tokenBudget()).isNull();
    assertThat(config.totalTasks()).isZero();
    assertThat(config.failurePredicate().test(new RuntimeException())).isTrue();
  }

  @Test
  void initialConcurrencyIsOneWithASlowStartAndTheMaximumWithout() {
    assertThat(ThrottleConfig.builder().maxConcurrency(4).build().initialConcurrency())
        .isEqualTo(1);
    assertThat(
            ThrottleConfig.builder().maxConcurrency(4).initialRate(0).build().initialConcurrency())
        .isEqualTo(4);
  }

  static Stream<Arguments> invalidSettings() {
    return Stream.of(
        bad(b -> b.maxConcurrency(0), "throttle.max-concurrency must be >= 1, was 0"),
        bad(b -> b.initialRate(-1), "throttle.initial-rate must be a finite number >= 0, was -1.0"),
        bad(
            b -> b.maxConcurrency(4).initialConcurrency(5),
            "throttle.initial-concurrency must be between 1 and max-concurrency (4), was 5"),
        bad(b -> b.initialConcurrency(0), "throttle.initial-concurrency"),
        bad(
            b -> b.minDispatchInterval(Duration.ofMillis(-1)),
            "throttle.min-dispatch-interval must be >= 0, was PT-0.001S"),
        bad(
            b ->
                b.minDispatchInterval(Duration.ofSeconds(2))
                    .maxDispatchInterval(Duration.ofSeconds(1)),
            "throttle.max-dispatch-interval must be >= min-dispatch-interval (PT2S), was PT1S"),
        bad(
            b -> b.jitterFraction(1.5),
            "throttle.jitter-fraction must be between 0.0 and 1.0, was 1.5"),
        bad(b -> b.jitterFraction(Double.NaN), "throttle.jitter-fraction"),
        bad(b -> b.failureThreshold(0), "throttle.failure-threshold must be >= 1, was 0"),
        bad(b -> b.failureWindow(Duration.ZERO), "throttle.failure-window must be > 0, was PT0S"),
        bad(b -> b.coolingPeriod(Duration.ZERO), "throttle.cooling-period must be > 0"),
        bad(
            b -> b.safeCeilingDecay(Duration.ofSeconds(-1)),
            "throttle.safe-ceiling-decay must be > 0"),
        bad(b -> b.totalTasks(-1), "throttle.total-tasks must be >= 0, was -1"));
  }

  private static Arguments bad(UnaryOperator<ThrottleConfig.Builder> change, String message) {
    return Arguments.of(change, message);
  }

  @ParameterizedTest
  @MethodSource("invalidSettings")
  void everyRuleIsCheckedAndTheErrorNamesKeyRuleAndValue(
      UnaryOperator<ThrottleConfig.Builder> change, String message) {
    assertThatThrownBy(() -> change.apply(ThrottleConfig.builder()).build())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void tokenBudgetRulesNameTheirKeys() {
    assertThatThrownBy(() -> new TokenBudget(0, Duration.ofSeconds(1)))
        .hasMessage("throttle.token-budget.tokens must be >= 1, was 0");
    assertThatThrownBy(() -> new TokenBudget(1, Duration.ZERO))
        .hasMessage("throttle.token-budget.window must be > 0, was PT0S");
  }

  @Test
  void fromMapReadsEveryKey() {
    Map<String, String> settings = new HashMap<>();
    settings.put("max-concurrency", "8");
    settings.put("initial-concurrency", "2");
    settings.put("min-dispatch-interval", "50ms");
    settings.put("max-dispatch-interval", "10s");
    settings.put("jitter-fraction", "0.5");
    settings.put("failure-threshold", "5");
    settings.put("failure-window", "30s");
    settings.put("cooling-period", "1m");
    settings.put("safe-ceiling-decay", "10m");
    settings.put("total-tasks", "1000");
    settings.put("token-budget.tokens", "100000");
    settings.put("token-budget.window", "1m");

    ThrottleConfig config = ThrottleConfig.fromMap(settings);

    assertThat(config.maxConcurrency()).isEqualTo(8);
    assertThat(config.initialConcurrency()).isEqualTo(2);
    assertThat(config.minDispatchInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.maxDispatchInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.jitterFraction()).isEqualTo(0.5);
    assertThat(config.failureThreshold()).isEqualTo(5);
    assertThat(config.failureWindow()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.coolingPeriod()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.safeCeilingDecay()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.totalTasks()).isEqualTo(1000);
    assertThat(config.tokenBudget()).isEqualTo(new TokenBudget(100_000, Duration.ofMinutes(1)));
  }

  @Test
  void fromMapKeepsDefaultsForKeysNotGiven() {
    ThrottleConfig config = ThrottleConfig.fromMap(Map.of("max-concurrency", "3"));

    assertThat(config)
        .usingRecursiveComparison()
        .ignoringFields("failurePredicate")
        .isEqualTo(ThrottleConfig.builder().maxConcurrency(3).build());
  }

  @Test
  void fromMapRejectsAnUnknownKeyInsteadOfIgnoringIt() {
    assertThatThrownBy(() -> ThrottleConfig.fromMap(Map.of("max-concurency", "3")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("throttle.max-concurency is not a setting")
        .hasMessageContaining("max-concurrency");
  }

  @Test
  void fromMapErrorsNameTheKeyAndTheValue() {
    assertThatThrownBy(() -> ThrottleConfig.fromMap(Map.of("max-concurrency", "many")))
        .hasMessage("throttle.max-concurrency must be an integer, was \"many\"");
    assertThatThrownBy(() -> ThrottleConfig.fromMap(Map.of("cooling-period", "10")))
        .hasMessageStartingWith("throttle.cooling-period must be a duration");
    assertThatThrownBy(() -> ThrottleConfig.fromMap(Map.of("jitter-fraction", "lots")))
        .hasMessageStartingWith("throttle.jitter-fraction must be a decimal number");
    assertThatThrownBy(() -> ThrottleConfig.fromMap(Map.of("max-concurrency", "0")))
        .hasMessage("throttle.max-concurrency must be >= 1, was 0");
  }

  @Test
  void tokenBudgetNeedsBothKeys() {
    assertThatThrownBy(() -> ThrottleConfig.fromMap(Map.of("token-budget.tokens", "10")))
        .hasMessageContaining("throttle.token-budget.window must be set together");
  }

  @Test
  void fromEnvReadsPrefixedVariables() {
    Map<String, String> env =
        Map.of(
            "APP_THROTTLE_MAX_CONCURRENCY", "6",
            "APP_THROTTLE_COOLING_PERIOD", "30s",
            "APP_THROTTLE_TOKEN_BUDGET_TOKENS", "500",
            "APP_THROTTLE_TOKEN_BUDGET_WINDOW", "1m",
            "PATH", "/usr/bin");

    ThrottleConfig config = ThrottleConfig.fromEnv("APP_THROTTLE", env);

    assertThat(config.maxConcurrency()).isEqualTo(6);
    assertThat(config.coolingPeriod()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.tokenBudget()).isEqualTo(new TokenBudget(500, Duration.ofMinutes(1)));
  }

  @Test
  void fromEnvWithoutVariablesGivesTheDefaults() {
    assertThat(ThrottleConfig.fromEnv("NOTHING_HERE", Map.of("HOME", "/root")))
        .usingRecursiveComparison()
        .ignoringFields("failurePredicate")
        .isEqualTo(ThrottleConfig.builder().build());
  }

  @Test
  void fromEnvRejectsAnUnknownPrefixedVariableAndNamesVariablesInErrors() {
    assertThatThrownBy(() -> ThrottleConfig.fromEnv("T", Map.of("T_MAX_CONCURENCY", "1")))
        .hasMessageContaining("T_MAX_CONCURENCY is not a throttle setting");
    assertThatThrownBy(() -> ThrottleConfig.fromEnv("T", Map.of("T_MAX_CONCURRENCY", "0")))
        .hasMessage("T_MAX_CONCURRENCY must be >= 1, was 0");
  }

  @Test
  void configRoundTripsThroughItsMapAndBuildsAWorkingThrottle() throws Exception {
    ThrottleConfig config =
        ThrottleConfig.builder()
            .maxConcurrency(7)
            .initialConcurrency(3)
            .minDispatchInterval(Duration.ofMillis(5))
            .coolingPeriod(Duration.ofSeconds(20))
            .tokenBudget(new TokenBudget(1000, Duration.ofSeconds(60)))
            .totalTasks(10)
            .build();

    ThrottleConfig copy = ThrottleConfig.fromMap(config.toMap());

    assertThat(copy)
        .usingRecursiveComparison()
        .ignoringFields("failurePredicate")
        .isEqualTo(config);
    Throttle throttle = Throttle.create(copy);
    assertThat(throttle.call(() -> "ok")).isEqualTo("ok");
    assertThat(throttle.snapshot().completedTasks()).isEqualTo(1);
  }

  @Test
  void fromEnvBuildsAWorkingThrottle() throws Exception {
    Throttle throttle =
        Throttle.create(ThrottleConfig.fromEnv("X", Map.of("X_MAX_CONCURRENCY", "2")));
    assertThat(throttle.call(() -> 42)).isEqualTo(42);
    assertThat(throttle.snapshot().maxConcurrency()).isEqualTo(2);
  }
}
