package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.policy.IpLiteral;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Without trusted proxies an IPv4 peer's text is taken as it is; that must be exactly what parsing
 * and formatting it would give, for any text.
 */
class ClientAddressFastPathProperties {
  private final ClientIdentity direct = ClientIdentity.socketPeer();

  /** Takes the parsing path for every peer: a trusted range no generated peer falls in. */
  private final ClientIdentity reference =
      ClientIdentity.builder().trustedProxies(List.of("203.0.113.255/32")).build();

  @Property(tries = 3000)
  void theFastPathAgreesWithParseAndFormat(@ForAll("peers") String peer) {
    byte[] parsed = IpLiteral.parse(peer);
    boolean canonical =
        peer.indexOf(':') < 0 && parsed != null && IpLiteral.format(parsed).equals(peer);
    assertThat(ClientIdentity.canonicalIpv4(peer)).as(peer).isEqualTo(canonical);
    HttpRequestView request = HttpRequestView.of("GET", "/", peer, Map.of());
    assertThat(direct.clientAddress(request)).as(peer).isEqualTo(reference.clientAddress(request));
  }

  @Example
  void ipv6IsStillCountedPerPrefix() {
    assertThat(
            direct.clientAddress(HttpRequestView.of("GET", "/", "2001:db8:0:1:aaaa::1", Map.of())))
        .isEqualTo("2001:db8:0:1::");
    assertThat(direct.clientAddress(HttpRequestView.of("GET", "/", "::ffff:192.0.2.5", Map.of())))
        .isEqualTo("192.0.2.5");
    assertThat(direct.clientAddress(HttpRequestView.of("GET", "/", "010.0.0.1", Map.of())))
        .isEqualTo("010.0.0.1");
  }

  @Provide
  Arbitrary<String> peers() {
    Arbitrary<String> part =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 300).map(String::valueOf),
            Arbitraries.of("00", "01", "007", "", "1a", "-1", " 1", "1 ", "2550"));
    Arbitrary<String> dotted =
        part.list().ofMinSize(1).ofMaxSize(6).map(parts -> String.join(".", parts));
    return Arbitraries.oneOf(
        dotted,
        Arbitraries.strings().withChars("0123456789.:abcdef[]%").ofMaxLength(20),
        Arbitraries.of(List.of("192.0.2.7", "0.0.0.0", "255.255.255.255", "1.2.3.4.")));
  }
}
