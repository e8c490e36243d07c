package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.Decision;
import dev.sluice.ratelimit.Limit;
import dev.sluice.retry.RateLimitHeaders;
import dev.sluice.retry.RateLimitPolicy;
import dev.sluice.retry.RateLimitStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class ForwardingHeaderProperties {
  private final ClientIdentity identity =
      ClientIdentity.builder().trustedProxies(List.of("10.0.0.0/8", "fd00::/8")).build();

  @Provide
  Arbitrary<List<String>> lines() {
    Arbitrary<String> entry =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(40),
            Arbitraries.strings().withChars("0123456789.:[]abcdef,;=\"_ for").ofMaxLength(40),
            Arbitraries.of("10.1.2.3", "192.0.2.1", "[fd00::1]:80", "2001:db8::1", "unknown", "_x"),
            Arbitraries.integers().between(0, 255).map(i -> "10.0.0." + i),
            Arbitraries.integers().between(0, 255).map(i -> "for=\"[2001:db8::" + i + "]:1\""));
    return entry.list().ofMaxSize(8).map(e -> List.of(String.join(", ", e)));
  }

  @Property
  void xForwardedForNeverThrowsNorNamesATrustedProxy(@ForAll("lines") List<String> lines) {
    byte[] client = identity.rightmostUntrusted(ForwardedParsers.xForwardedFor(lines));
    assertThat(client == null || !identity.trusted(client)).isTrue();
  }

  @Property
  void forwardedNeverThrowsNorNamesATrustedProxy(@ForAll("lines") List<String> lines) {
    byte[] client = identity.rightmostUntrusted(ForwardedParsers.forwarded(lines));
    assertThat(client == null || !identity.trusted(client)).isTrue();
  }

  @Property
  void formattedHeadersParseBackToTheSameNumbers(
      @ForAll @LongRange(min = 1, max = 1_000_000L) long quota,
      @ForAll @IntRange(min = 1, max = 86_400 * 30) int windowSeconds,
      @ForAll @LongRange(min = 0, max = 1_000_000_000L) long remaining,
      @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 4) long resetNanos) {
    Limit limit = Limit.of("quota", quota, Duration.ofSeconds(windowSeconds));
    Decision decision =
        Decision.of(
            List.of(limit), new long[] {remaining}, new long[] {resetNanos}, 0, new boolean[1]);
    List<String> out = new ArrayList<>();
    RateLimitFields.append(decision, HeaderDialect.BOTH, out);
    RateLimitPolicy policy = RateLimitHeaders.parsePolicies(out.get(1)).get(0);
    RateLimitStatus status = RateLimitHeaders.parseRateLimit(out.get(3)).get(0);
    assertThat(policy.quota()).isEqualTo(quota);
    assertThat(policy.window()).hasValue(Duration.ofSeconds(windowSeconds));
    assertThat(status.remaining()).isEqualTo(remaining);
    assertThat(status.reset())
        .hasValue(Duration.ofSeconds(RateLimitFields.ceilSeconds(resetNanos)));
    assertThat(out.get(9)).isEqualTo(Long.toString(RateLimitFields.ceilSeconds(resetNanos)));
  }
}
