package dev.sluice.ratelimit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ratelimit.Algorithm;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.policy.Outcome;
import dev.sluice.ratelimit.policy.PolicyEnforcer;
import dev.sluice.ratelimit.policy.Request;
import dev.sluice.ratelimit.policy.Rule;
import dev.sluice.ratelimit.policy.RuleMode;
import dev.sluice.time.ManualTimeSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TomlConfigLoaderTest {

  private static String example() throws IOException {
    try (InputStream in =
        TomlConfigLoaderTest.class.getResourceAsStream("/ratelimit-example.toml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void readsTheDocumentedExample() throws IOException {
    RateLimitConfig config = TomlConfigLoader.parse(example(), Map.of());

    assertThat(config.maxKeys()).isEqualTo(1_000_000);
    assertThat(config.maxPenalizedClients()).isEqualTo(100_000);
    assertThat(config.policy().defaults())
        .containsExactly(
            Limit.of("per-second", 20, Duration.ofSeconds(1)),
            Limit.builder("per-hour")
                .quota(10_000)
                .window(Duration.ofHours(1))
                .algorithm(Algorithm.SLIDING_WINDOW)
                .build());
    assertThat(config.policy().tiers().get("premium").limits())
        .containsExactly(
            Limit.builder("per-minute")
                .quota(6000)
                .window(Duration.ofMinutes(1))
                .burst(500)
                .algorithm(Algorithm.TOKEN_BUCKET)
                .build());
    Rule compute = config.policy().rules().get(0);
    assertThat(compute.methods()).containsExactly("POST");
    assertThat(compute.path().toString()).isEqualTo("/api/*/compute");
    assertThat(compute.tierLimits().get("premium").get(0).quota()).isEqualTo(100);
    assertThat(config.policy().rules().get(1).mode()).isEqualTo(RuleMode.SHADOW);
    assertThat(config.policy().exemptions().users()).containsExactly("ops-robot");
    assertThat(config.policy().penalty().orElseThrow().cooldownAt(3))
        .isEqualTo(Duration.ofMinutes(4));
  }

  @Test
  void environmentVariablesOverrideValuesOfTheFile() throws IOException {
    Map<String, String> env =
        Map.of(
            "SLUICE_RATELIMIT_PENALTY_COOLDOWN", "2m",
            "SLUICE_RATELIMIT_LIMITER_MAX_KEYS", "5000",
            "SLUICE_RATELIMIT_RULES_COMPUTE_LIMITS_PER_MINUTE_QUOTA", "12",
            "SLUICE_RATELIMIT_RULES_SEARCH_MODE", "enforce",
            "SLUICE_RATELIMIT_TIERS_PREMIUM_LIMITS_PER_MINUTE_BURST", "700",
            "SLUICE_RATELIMIT_EXEMPTIONS_USERS", "ops-robot, backup",
            "UNRELATED", "x");
    RateLimitConfig config = TomlConfigLoader.parse(example(), env);

    assertThat(config.policy().penalty().orElseThrow().cooldown()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.maxKeys()).isEqualTo(5000);
    assertThat(config.policy().rules().get(0).limits().get(0).quota()).isEqualTo(12);
    assertThat(config.policy().rules().get(1).mode()).isEqualTo(RuleMode.ENFORCE);
    assertThat(config.policy().tiers().get("premium").limits().get(0).burst()).isEqualTo(700);
    assertThat(config.policy().exemptions().users())
        .containsExactlyInAnyOrder("ops-robot", "backup");
  }

  @Test
  void aBadEnvironmentValueNamesTheVariableAndTheKey() throws IOException {
    String toml = example();
    assertThatThrownBy(
            () ->
                TomlConfigLoader.parse(toml, Map.of("SLUICE_RATELIMIT_PENALTY_THRESHOLD", "lots")))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessage(
            "SLUICE_RATELIMIT_PENALTY_THRESHOLD (penalty.threshold) must be an integer, was \"lots\"");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "quota = 0, window = \"1s\" | rules[api].limits[l].quota must be >= 1, was 0",
        "quota = 5, window = \"1s\", burst = 0 | rules[api].limits[l].burst must be >= 1, was 0",
        "quota = 5, window = \"1s\", algorithm = \"leaky\" | rules[api].limits[l].algorithm must be one of",
        "quota = 5, window = \"1 s\" | rules[api].limits[l].window must be a duration such as 250ms, 10s or 1h30m, was \"1 s\"",
        "quota = 5, window = \"10\" | rules[api].limits[l].window must be a duration",
        "quota = 5 | rules[api].limits[l].window must be set",
        "quota = \"5\", window = \"1s\" | rules[api].limits[l].quota must be an integer, was \"5\"",
        "quota = 5, window = \"1s\", qouta = 3 | rules[api].limits[l].qouta is not a known key",
        "quota = 5, window = \"1s\", burst = 9, algorithm = \"fixed-window\" | rules[api].limits[l].burst applies only to token-bucket and gcra"
      })
  void everyLimitErrorNamesTheRuleTheLimitTheRuleBrokenAndTheValue(String limit, String message) {
    String toml =
        "[[rules]]\nid = \"api\"\npath = \"/api/**\"\nlimits = [{ id = \"l\", " + limit + " }]\n";
    assertThatThrownBy(() -> TomlConfigLoader.parse(toml, Map.of()))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessageStartingWith(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[[rules]]\\nid = \"a\"\\npath = \"api\" | rules[a].path must be a valid pattern (it must start with '/'), was \"api\"",
        "[[rules]]\\nid = \"a\"\\npath = \"/a/b*\" | rules[a].path must be a valid pattern",
        "[[rules]]\\nid = \"a\"\\npath = \"/a\"\\nmode = \"loud\" | rules[a].mode must be enforce or shadow, was \"loud\"",
        "[[rules]]\\npath = \"/a\" | rules[0].id must be set",
        "[exemptions]\\naddresses = [\"intranet.example\"] | exemptions.addresses[0].address must be an IPv4 or IPv6 literal",
        "[penalty]\\nmultiplier = 0 | penalty.multiplier must be >= 1, was 0",
        "[penalty]\\ncooldown = \"2h\"\\nmax-cooldown = \"1h\" | penalty.max-cooldown must be >= cooldown",
        "[limiter]\\nmax-keys = 0 | limiter.max-keys must be >= 1, was 0",
        "[limits]\\nx = 1 | limits is not a known key",
        "[defaults]\\nalgorithm = \"lru\" | defaults.algorithm must be one of"
      })
  void everyPolicyErrorNamesTheKeyAndTheValue(String toml, String message) {
    assertThatThrownBy(() -> TomlConfigLoader.parse(toml.replace("\\n", "\n"), Map.of()))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void textThatIsNotTomlIsRefused() {
    assertThatThrownBy(() -> TomlConfigLoader.parse("[rules\nid=", Map.of()))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessageStartingWith("rate-limit configuration is not valid TOML");
  }

  @Test
  void reloadingAnInvalidFileLeavesTheOldPolicyInForceWithItsCounters() {
    ManualTimeSource time = new ManualTimeSource();
    String good =
        "[[rules]]\nid = \"api\"\npath = \"/api/**\"\n"
            + "limits = [{ id = \"per-minute\", quota = 3, window = \"1m\" }]\n";
    PolicyEnforcer enforcer =
        PolicyEnforcer.create(
            TomlConfigLoader.parse(good, Map.of()).policy(),
            RateLimiter.builder().timeSource(time).build());
    Request request = Request.anonymous("GET", "/api/x", "192.0.2.1");
    enforcer.evaluate(request);
    enforcer.evaluate(request);

    String bad = good.replace("quota = 3", "quota = 0");
    assertThatThrownBy(() -> enforcer.reload(TomlConfigLoader.parse(bad, Map.of()).policy()))
        .isInstanceOf(RateLimitConfigException.class);

    assertThat(enforcer.evaluate(request).outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(enforcer.evaluate(request).outcome()).isEqualTo(Outcome.DENIED);

    // the same file reloaded changes nothing: the counters carry over
    enforcer.reload(TomlConfigLoader.parse(good, Map.of()).policy());
    assertThat(enforcer.evaluate(request).outcome()).isEqualTo(Outcome.DENIED);
    assertThat(enforcer.policy().rules().get(0).limits())
        .isEqualTo(List.of(Limit.of("per-minute", 3, Duration.ofMinutes(1))));
  }
}
