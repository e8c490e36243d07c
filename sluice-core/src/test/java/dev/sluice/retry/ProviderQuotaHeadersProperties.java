package dev.sluice.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

class ProviderQuotaHeadersProperties {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final List<String> NAMES =
      List.of(
          "x-ratelimit-limit-requests",
          "x-ratelimit-remaining-requests",
          "x-ratelimit-reset-requests",
          "x-ratelimit-limit-tokens",
          "x-ratelimit-remaining-tokens",
          "x-ratelimit-reset-tokens",
          "anthropic-ratelimit-tokens-limit",
          "anthropic-ratelimit-tokens-remaining",
          "anthropic-ratelimit-tokens-reset",
          "X-RateLimit-Limit",
          "X-RateLimit-Remaining",
          "X-RateLimit-Reset",
          "X-RateLimit-Used",
          "X-RateLimit-Resource");

  @Provide
  Arbitrary<Map<String, List<String>>> headerMaps() {
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(30),
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.strings().withChars("0123456789.hmsuµn-").ofMaxLength(12));
    return Arbitraries.maps(Arbitraries.of(NAMES), values.list().ofMaxSize(3)).ofMaxSize(10);
  }

  @Property(tries = 2000)
  void anyHeadersNeverThrowAndNeverYieldNegatives(
      @ForAll("headerMaps") Map<String, List<String>> h) {
    assertThatCode(
            () -> {
              for (ProviderQuota quota : ProviderQuotaHeaders.parse(h, NOW)) {
                assertThat(quota.remaining()).isNotNegative();
                quota.limit().ifPresent(l -> assertThat(l).isNotNegative());
                quota.resetAfter().ifPresent(d -> assertThat(d.isNegative()).isFalse());
                if (!quota.name().equals("default") && quota.window().isPresent()) {
                  assertThat(quota.window()).contains(Duration.ofMinutes(1));
                }
              }
            })
        .doesNotThrowAnyException();
  }

  @Property(tries = 2000)
  void durationTextNeverThrows(@ForAll String text) {
    assertThatCode(() -> DurationText.parse(text)).doesNotThrowAnyException();
  }

  @Property(tries = 2000)
  void durationTextRoundTrips(@ForAll @LongRange(min = 0) long nanos) {
    Duration duration = Duration.ofNanos(nanos);
    assertThat(DurationText.parse(DurationText.format(duration))).contains(duration);
  }

  @Property
  void perMinuteFamiliesHaveAOneMinuteWindow(@ForAll @LongRange(min = 0) long remaining) {
    List<ProviderQuota> quotas =
        ProviderQuotaHeaders.parse(
            Map.of(
                "x-ratelimit-remaining-tokens", List.of(String.valueOf(remaining)),
                "anthropic-ratelimit-requests-remaining", List.of(String.valueOf(remaining))),
            NOW);
    if (remaining < 1_000_000_000_000_000_000L) {
      assertThat(quotas)
          .hasSize(2)
          .allMatch(q -> q.window().equals(Optional.of(Duration.ofMinutes(1))));
    } else {
      assertThat(quotas).isEmpty(); // out of range: ignored
    }
  }
}
