package dev.sluice.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.retry.ProviderQuota.ResetMeaning;
import dev.sluice.retry.ProviderQuota.Unit;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProviderQuotaHeadersTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static Map<String, List<String>> headers(String... namesAndValues) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
    }
    return map;
  }

  @Test
  void durationTextReadsGoDurations() {
    assertThat(DurationText.parse("20ms")).contains(Duration.ofMillis(20));
    assertThat(DurationText.parse("1.5s")).contains(Duration.ofMillis(1500));
    assertThat(DurationText.parse("6m0s")).contains(Duration.ofMinutes(6));
    assertThat(DurationText.parse("1h2m3.5s")).contains(Duration.parse("PT1H2M3.5S"));
    assertThat(DurationText.parse("250us")).contains(Duration.ofNanos(250_000));
    assertThat(DurationText.parse("250µs")).contains(Duration.ofNanos(250_000));
    assertThat(DurationText.parse("0s")).contains(Duration.ZERO);
    for (String bad : new String[] {"", "s", "1", "-1s", "1s1m", "1x", "1.2.3s", "1 s", "."}) {
      assertThat(DurationText.parse(bad)).as(bad).isEmpty();
    }
    assertThat(DurationText.format(Duration.parse("PT1H2M3.5S"))).isEqualTo("1h2m3.5s");
    assertThat(DurationText.format(Duration.ofMinutes(6))).isEqualTo("6m0s");
  }

  @Test
  void readsOpenAiRequestAndTokenQuotasPerMinute() {
    List<ProviderQuota> quotas =
        ProviderQuotaHeaders.parse(
            headers(
                "x-ratelimit-limit-requests", "60",
                "x-ratelimit-remaining-requests", "59",
                "x-ratelimit-reset-requests", "1s",
                "x-ratelimit-limit-tokens", "150000",
                "x-ratelimit-remaining-tokens", "149984",
                "x-ratelimit-reset-tokens", "6m0s"),
            NOW);
    assertThat(quotas)
        .containsExactly(
            new ProviderQuota(
                "requests",
                Unit.REQUESTS,
                OptionalLong.of(60),
                59,
                Optional.of(Duration.ofSeconds(1)),
                Optional.of(Duration.ofMinutes(1)),
                ResetMeaning.REPLENISHED),
            new ProviderQuota(
                "tokens",
                Unit.TOKENS,
                OptionalLong.of(150000),
                149984,
                Optional.of(Duration.ofMinutes(6)),
                Optional.of(Duration.ofMinutes(1)),
                ResetMeaning.REPLENISHED));
  }

  @Test
  void readsAnthropicFamiliesWithRfc3339Resets() {
    List<ProviderQuota> quotas =
        ProviderQuotaHeaders.parse(
            headers(
                "Anthropic-RateLimit-Requests-Limit", "50",
                "anthropic-ratelimit-requests-remaining", "49",
                "anthropic-ratelimit-requests-reset", "2026-01-01T00:00:02Z",
                "anthropic-ratelimit-input-tokens-limit", "40000",
                "anthropic-ratelimit-input-tokens-remaining", "39000",
                "anthropic-ratelimit-input-tokens-reset", "2026-01-01T01:00:30+01:00",
                "anthropic-ratelimit-output-tokens-remaining", "7000",
                "anthropic-ratelimit-output-tokens-reset", "2025-12-31T23:59:00Z"),
            NOW);
    assertThat(quotas)
        .extracting(ProviderQuota::unit)
        .containsExactly(Unit.REQUESTS, Unit.INPUT_TOKENS, Unit.OUTPUT_TOKENS);
    assertThat(quotas.get(0).resetAfter()).contains(Duration.ofSeconds(2));
    assertThat(quotas.get(1).resetAfter()).contains(Duration.ofSeconds(30));
    assertThat(quotas.get(2).resetAfter()).contains(Duration.ZERO);
    assertThat(quotas.get(2).limit()).isEmpty();
    assertThat(quotas).allMatch(q -> q.window().equals(Optional.of(Duration.ofMinutes(1))));
  }

  @Test
  void readsGitHubAndLegacyHeadersAsOneFixedWindow() {
    List<ProviderQuota> quotas =
        ProviderQuotaHeaders.parse(
            headers(
                "X-RateLimit-Remaining", "4990",
                "x-ratelimit-used", "10",
                "x-ratelimit-reset", "1767225660",
                "x-ratelimit-resource", "core"),
            NOW);
    assertThat(quotas)
        .containsExactly(
            new ProviderQuota(
                "core",
                Unit.REQUESTS,
                OptionalLong.of(5000),
                4990,
                Optional.of(Duration.ofMinutes(1)),
                Optional.empty(),
                ResetMeaning.WINDOW_ENDS));
  }

  @Test
  void malformedOrOutOfRangeValuesAreLeftOut() {
    List<ProviderQuota> quotas =
        ProviderQuotaHeaders.parse(
            headers(
                "x-ratelimit-limit-tokens", "99999999999999999999",
                "x-ratelimit-remaining-tokens", "12",
                "x-ratelimit-reset-tokens", "soon",
                "x-ratelimit-remaining-requests", "-1"),
            NOW);
    assertThat(quotas).hasSize(1);
    assertThat(quotas.get(0).limit()).isEmpty();
    assertThat(quotas.get(0).resetAfter()).isEmpty();
  }
}
