package dev.sluice.ratelimit.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyEnforcerTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final RateLimiter limiter = RateLimiter.builder().timeSource(time).build();

  private static List<Limit> perMinute(long quota) {
    return List.of(Limit.of("per-minute", quota, Duration.ofMinutes(1)));
  }

  private static Request get(String path) {
    return Request.anonymous("GET", path, "198.51.100.7");
  }

  private int admitted(PolicyEnforcer enforcer, Request request, int attempts) {
    int admitted = 0;
    for (int i = 0; i < attempts; i++) {
      if (!enforcer.evaluate(request).blocked()) {
        admitted++;
      }
    }
    return admitted;
  }

  @Test
  void theMostSpecificPathWinsThenMethodsThenDeclarationOrder() {
    Policy policy =
        Policy.builder()
            .rule(Rule.builder("catch-all").path("/**").limits(perMinute(1)).build())
            .rule(Rule.builder("api").path("/api/**").limits(perMinute(2)).build())
            .rule(Rule.builder("api-one").path("/api/*").limits(perMinute(3)).build())
            .rule(Rule.builder("items").path("/api/items").limits(perMinute(4)).build())
            .rule(
                Rule.builder("items-post")
                    .methods("POST")
                    .path("/api/items")
                    .limits(perMinute(5))
                    .build())
            .rule(Rule.builder("export").path("/api/*/export").limits(perMinute(6)).build())
            .rule(Rule.builder("orders").path("/api/orders/**").limits(perMinute(7)).build())
            .build();

    assertThat(policy.ruleFor("GET", "/api/items").orElseThrow().id()).isEqualTo("items");
    assertThat(policy.ruleFor("POST", "/api/items").orElseThrow().id()).isEqualTo("items-post");
    assertThat(policy.ruleFor("GET", "/api/users").orElseThrow().id()).isEqualTo("api-one");
    assertThat(policy.ruleFor("GET", "/api/users/7").orElseThrow().id()).isEqualTo("api");
    assertThat(policy.ruleFor("GET", "/api/users/export").orElseThrow().id()).isEqualTo("export");
    // a literal further left beats a wildcard: /api/orders/** over /api/*/export
    assertThat(policy.ruleFor("GET", "/api/orders/export").orElseThrow().id()).isEqualTo("orders");
    assertThat(policy.ruleFor("GET", "/other").orElseThrow().id()).isEqualTo("catch-all");

    PolicyEnforcer enforcer = PolicyEnforcer.create(policy, limiter);
    assertThat(admitted(enforcer, get("/api/items"), 10)).isEqualTo(4);
    assertThat(admitted(enforcer, Request.anonymous("POST", "/api/items", "198.51.100.7"), 10))
        .isEqualTo(5);
  }

  @Test
  void rulesWithTheSamePathAndOverlappingMethodsAreRefused() {
    Policy.Builder builder =
        Policy.builder()
            .rule(Rule.builder("a").methods("GET", "POST").path("/x").limits(perMinute(1)).build())
            .rule(Rule.builder("b").methods("post").path("/x").limits(perMinute(1)).build());
    assertThatThrownBy(builder::build)
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessage("rules[b].path must not repeat the path and methods of rules[a], was /x");
  }

  @Test
  void tiersGetTheirOwnLimitsAndFallBackToTheRuleThenTierThenDefaults() {
    Policy policy =
        Policy.builder()
            .defaults(perMinute(1))
            .tier(new Tier("anonymous", perMinute(2)))
            .tier(new Tier("standard", List.of()))
            .tier(new Tier("premium", perMinute(50)))
            .rule(
                Rule.builder("search")
                    .path("/search")
                    .limits(perMinute(10))
                    .tierLimits("premium", perMinute(20))
                    .build())
            .build();
    PolicyEnforcer enforcer = PolicyEnforcer.create(policy, limiter);

    Request premium = Request.authenticated("GET", "/search", "192.0.2.1", "ann", "premium");
    Request standard = Request.authenticated("GET", "/search", "192.0.2.2", "bob", "standard");
    Request unknownTier = Request.authenticated("GET", "/search", "192.0.2.3", "cy", "gold");
    assertThat(admitted(enforcer, premium, 30)).isEqualTo(20);
    assertThat(admitted(enforcer, standard, 30)).isEqualTo(10);
    assertThat(enforcer.evaluate(unknownTier).tier()).isEqualTo("standard");

    // no rule: the tier's own limits, else the defaults
    assertThat(admitted(enforcer, Request.anonymous("GET", "/home", "192.0.2.9"), 10)).isEqualTo(2);
    assertThat(
            admitted(enforcer, Request.authenticated("GET", "/home", "192.0.2.9", "dee", null), 10))
        .isEqualTo(1);
    assertThat(
            admitted(
                enforcer, Request.authenticated("GET", "/home", "192.0.2.9", "eve", "premium"), 60))
        .isEqualTo(50);
  }

  @Test
  void usersAreCountedByIdAndAnonymousClientsByAddress() {
    Policy policy = Policy.builder().defaults(perMinute(3)).build();
    PolicyEnforcer enforcer = PolicyEnforcer.create(policy, limiter);

    assertThat(admitted(enforcer, Request.authenticated("GET", "/", "192.0.2.1", "ann", null), 2))
        .isEqualTo(2);
    // same user from another address: same budget
    assertThat(admitted(enforcer, Request.authenticated("GET", "/", "192.0.2.2", "ann", null), 5))
        .isEqualTo(1);
    // anonymous from the first address: its own budget
    assertThat(admitted(enforcer, Request.anonymous("GET", "/", "192.0.2.1"), 5)).isEqualTo(3);
  }

  @Test
  void exemptAddressesUsersAndPathsAreNeverLimitedNorCounted() {
    Policy policy =
        Policy.builder()
            .defaults(perMinute(1))
            .exemptions(
                Exemptions.of(
                    List.of("10.0.0.0/8", "2001:db8::/32"), List.of("ops"), List.of("/health")))
            .build();
    PolicyEnforcer enforcer = PolicyEnforcer.create(policy, limiter);

    assertThat(admitted(enforcer, Request.anonymous("GET", "/x", "10.1.2.3"), 20)).isEqualTo(20);
    assertThat(admitted(enforcer, Request.anonymous("GET", "/x", "2001:db8::5"), 20)).isEqualTo(20);
    assertThat(admitted(enforcer, Request.authenticated("GET", "/x", "192.0.2.1", "ops", null), 20))
        .isEqualTo(20);
    assertThat(admitted(enforcer, get("/health"), 20)).isEqualTo(20);
    assertThat(enforcer.evaluate(get("/health")).outcome()).isEqualTo(Outcome.EXEMPT);
    // the exempt calls counted nothing: a normal call still has its full budget
    assertThat(admitted(enforcer, get("/x"), 20)).isEqualTo(1);
  }

  @Test
  void shadowRulesDecideAndReportButNeverBlock() {
    Policy policy =
        Policy.builder()
            .rule(
                Rule.builder("trial")
                    .path("/**")
                    .limits(perMinute(2))
                    .mode(RuleMode.SHADOW)
                    .build())
            .penalty(Penalty.builder().threshold(1).build())
            .build();
    PolicyEnforcer enforcer = PolicyEnforcer.create(policy, limiter);

    assertThat(enforcer.evaluate(get("/a")).outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(enforcer.evaluate(get("/a")).outcome()).isEqualTo(Outcome.ALLOWED);
    Verdict third = enforcer.evaluate(get("/a"));
    assertThat(third.outcome()).isEqualTo(Outcome.SHADOW_DENIED);
    assertThat(third.blocked()).isFalse();
    assertThat(third.decision().violatedLimitIds()).containsExactly("per-minute");
    // no penalty came of it
    assertThat(enforcer.evaluate(get("/a")).outcome()).isEqualTo(Outcome.SHADOW_DENIED);
  }

  @Test
  void eachPenaltyLevelMultipliesTheCooldownUpToTheMaximumWithAnAccurateRetryAfter() {
    Penalty penalty =
        Penalty.builder()
            .threshold(3)
            .window(Duration.ofMinutes(1))
            .cooldown(Duration.ofMinutes(1))
            .multiplier(2)
            .maxCooldown(Duration.ofMinutes(4))
            .resetAfter(Duration.ofMinutes(30))
            .build();
    Policy policy =
        Policy.builder()
            .defaults(List.of(Limit.of("per-second", 1, Duration.ofSeconds(1))))
            .penalty(penalty)
            .build();
    PolicyEnforcer enforcer = PolicyEnforcer.create(policy, limiter);
    Request request = get("/api");

    Duration[] expected = {
      Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(4)
    };
    for (int level = 1; level <= 4; level++) {
      assertThat(enforcer.evaluate(request).outcome()).isEqualTo(Outcome.ALLOWED);
      assertThat(enforcer.evaluate(request).outcome()).isEqualTo(Outcome.DENIED);
      assertThat(enforcer.evaluate(request).outcome()).isEqualTo(Outcome.DENIED);
      Verdict third = enforcer.evaluate(request);
      assertThat(third.outcome()).isEqualTo(Outcome.DENIED);
      assertThat(third.penaltyLevel()).isEqualTo(level);
      assertThat(third.retryAfter()).isEqualTo(expected[level - 1]);

      time.advance(Duration.ofSeconds(10));
      Verdict during = enforcer.evaluate(request);
      assertThat(during.outcome()).isEqualTo(Outcome.PENALIZED);
      assertThat(during.retryAfter()).isEqualTo(expected[level - 1].minusSeconds(10));
      assertThat(during.penaltyLevel()).isEqualTo(level);

      time.advance(expected[level - 1].minusSeconds(10).minusNanos(1));
      assertThat(enforcer.evaluate(request).outcome()).isEqualTo(Outcome.PENALIZED);
      time.advanceNanos(1);
      // the penalty has expired: admitted again
    }
    assertThat(enforcer.evaluate(request).outcome()).isEqualTo(Outcome.ALLOWED);
  }

  @Test
  void aPenaltyLevelIsForgottenAfterResetAfterWithoutPenalties() {
    Penalty penalty =
        Penalty.builder()
            .threshold(1)
            .cooldown(Duration.ofMinutes(1))
            .multiplier(3)
            .maxCooldown(Duration.ofHours(1))
            .resetAfter(Duration.ofMinutes(10))
            .build();
    Policy policy =
        Policy.builder()
            .defaults(List.of(Limit.of("per-second", 1, Duration.ofSeconds(1))))
            .penalty(penalty)
            .build();
    PolicyEnforcer enforcer = PolicyEnforcer.create(policy, limiter);
    Request request = get("/api");

    enforcer.evaluate(request);
    assertThat(enforcer.evaluate(request).penaltyLevel()).isEqualTo(1);
    time.advance(Duration.ofMinutes(1));
    enforcer.evaluate(request);
    assertThat(enforcer.evaluate(request).retryAfter()).isEqualTo(Duration.ofMinutes(3));
    time.advance(Duration.ofMinutes(3).plus(Duration.ofMinutes(10)));
    assertThat(enforcer.evaluate(request).penaltyLevel()).isZero();
    Verdict again = enforcer.evaluate(request);
    assertThat(again.penaltyLevel()).isEqualTo(1);
    assertThat(again.retryAfter()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void reloadKeepsCountersOfUnchangedLimitsAndClampsChangedOnes() {
    Rule.Builder api = Rule.builder("api").path("/api/**");
    List<Limit> before =
        List.of(
            Limit.of("per-minute", 10, Duration.ofMinutes(1)),
            Limit.of("per-hour", 100, Duration.ofHours(1)));
    PolicyEnforcer enforcer =
        PolicyEnforcer.create(Policy.builder().rule(api.limits(before).build()).build(), limiter);
    Request request = get("/api/x");
    assertThat(admitted(enforcer, request, 6)).isEqualTo(6);

    // per-minute unchanged, per-hour cut from 100 to 8: 6 used so far, so 2 are left
    List<Limit> after =
        List.of(
            Limit.of("per-minute", 10, Duration.ofMinutes(1)),
            Limit.of("per-hour", 8, Duration.ofHours(1)));
    Policy old = enforcer.reload(Policy.builder().rule(api.limits(after).build()).build());
    assertThat(old.rules().get(0).limits()).isEqualTo(before);
    Verdict next = enforcer.evaluate(request);
    assertThat(next.decision().remaining(0)).isEqualTo(3);
    assertThat(next.decision().remaining(1)).isEqualTo(1);
    assertThat(admitted(enforcer, request, 5)).isEqualTo(1);

    // cut below what was used: clamped to empty, not negative
    enforcer.reload(
        Policy.builder()
            .rule(api.limits(List.of(Limit.of("per-minute", 2, Duration.ofMinutes(1)))).build())
            .build());
    Verdict clamped = enforcer.evaluate(request);
    assertThat(clamped.blocked()).isTrue();
    assertThat(clamped.decision().remaining(0)).isZero();
  }

  @Test
  void anInvalidPolicyCannotBeBuiltSoTheOldOneStaysInForce() {
    Policy good = Policy.builder().defaults(perMinute(1)).build();
    PolicyEnforcer enforcer = PolicyEnforcer.create(good, limiter);
    assertThatThrownBy(
            () ->
                enforcer.reload(
                    Policy.builder()
                        .rule(Rule.builder("x").path("/a").tierLimits("gold", perMinute(1)).build())
                        .build()))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessageContaining("rules[x].tiers must name tiers of the policy")
        .hasMessageContaining("gold");
    assertThat(enforcer.policy()).isSameAs(good);
  }

  @Test
  void noRuleAndNoDefaultsMeansUnlimited() {
    PolicyEnforcer enforcer = PolicyEnforcer.create(Policy.builder().build(), limiter);
    assertThat(enforcer.evaluate(get("/x")).outcome()).isEqualTo(Outcome.UNLIMITED);
  }
}
