package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimitConfigException;
import dev.sluice.ratelimit.policy.Policy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientIdentityTest {
  private final ClientIdentity behindProxy =
      ClientIdentity.builder().trustedProxies(List.of("10.0.0.0/8")).build();

  private static HttpRequestView from(String peer, String header, String... lines) {
    return HttpRequestView.of("GET", "/", peer, Map.of(header, List.of(lines)));
  }

  @Test
  void theSocketPeerIsTheClientUnlessItIsATrustedProxy() {
    assertThat(behindProxy.clientAddress(from("192.0.2.1", "X-Forwarded-For", "198.51.100.1")))
        .isEqualTo("192.0.2.1");
    assertThat(behindProxy.clientAddress(from("10.0.0.1", "X-Forwarded-For", "198.51.100.1")))
        .isEqualTo("198.51.100.1");
  }

  @Test
  void rightmostUntrustedAcrossSeveralHeaderLines() {
    assertThat(
            behindProxy.clientAddress(
                from("10.0.0.1", "X-Forwarded-For", "1.2.3.4, 198.51.100.1", "10.1.1.1")))
        .isEqualTo("198.51.100.1");
  }

  @Test
  void garbageOrAllTrustedChainsCountAsThePeer() {
    assertThat(behindProxy.clientAddress(from("10.0.0.1", "X-Forwarded-For", "1.2.3.4, nonsense")))
        .isEqualTo("10.0.0.1");
    assertThat(behindProxy.clientAddress(from("10.0.0.1", "X-Forwarded-For", "10.2.2.2")))
        .isEqualTo("10.0.0.1");
    assertThat(behindProxy.clientAddress(from("10.0.0.1", "X-Forwarded-For")))
        .isEqualTo("10.0.0.1");
  }

  @Test
  void forwardedWithQuotedIpv6PortsAndObfuscatedIds() {
    ClientIdentity forwarded =
        ClientIdentity.builder()
            .trustedProxies(List.of("10.0.0.0/8"))
            .header(ForwardingHeader.FORWARDED)
            .build();
    assertThat(
            forwarded.clientAddress(
                from(
                    "10.0.0.1",
                    "Forwarded",
                    "for=192.0.2.60;proto=https, for=\"[2001:db8::17]:4711\"")))
        .isEqualTo("2001:db8::");
    assertThat(forwarded.clientAddress(from("10.0.0.1", "Forwarded", "for=1.1.1.1, for=_hidden")))
        .isEqualTo("10.0.0.1");
    assertThat(forwarded.clientAddress(from("10.0.0.1", "Forwarded", "For=\"192.0.2.43:47011\"")))
        .isEqualTo("192.0.2.43");
  }

  @Test
  void hopCountModeTakesTheEntryThatManyFromTheRight() {
    ClientIdentity twoHops = ClientIdentity.builder().trustedHops(2).build();
    assertThat(
            twoHops.clientAddress(
                from("192.0.2.9", "X-Forwarded-For", "6.6.6.6, 198.51.100.4, 10.0.0.3")))
        .isEqualTo("198.51.100.4");
    assertThat(twoHops.clientAddress(from("192.0.2.9", "X-Forwarded-For", "10.0.0.3")))
        .isEqualTo("192.0.2.9");
  }

  @Test
  void ipv4MappedIpv6IsIpv4_andIpv6IsMaskedToItsPrefix() {
    ClientIdentity peer = ClientIdentity.socketPeer();
    assertThat(peer.clientAddress(from("::ffff:192.0.2.5", "X", ""))).isEqualTo("192.0.2.5");
    assertThat(peer.clientAddress(from("[2001:DB8:0:1:aaaa::1]", "X", "")))
        .isEqualTo("2001:db8:0:1::");
    ClientIdentity each = ClientIdentity.builder().ipv6PrefixLength(128).build();
    assertThat(each.clientAddress(from("2001:db8:0:1:aaaa::1", "X", "")))
        .isEqualTo("2001:db8:0:1:aaaa::1");
  }

  @Test
  void badSettingsNameTheKeyAndValue() {
    assertThatThrownBy(() -> ClientIdentity.builder().ipv6PrefixLength(0).build())
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessageContaining("identity.ipv6-prefix must be 1-128, was 0");
    assertThatThrownBy(() -> ClientIdentity.builder().trustedProxies(List.of("proxy.local")))
        .isInstanceOf(RateLimitConfigException.class)
        .hasMessageContaining("identity.trusted-proxies[0]");
  }

  @Test
  void twoToTheSixteenIpv6AddressesOfOneSlash64ShareOneBudget() {
    HttpRateLimiter limiter =
        HttpRateLimiter.builder(
                Policy.builder()
                    .defaults(List.of(Limit.of("hour", 1000, Duration.ofHours(1))))
                    .build())
            .build();
    int passed = 0;
    for (int i = 0; i < 1 << 16; i++) {
      String address =
          "2001:db8:aa:bb:"
              + Integer.toHexString(i)
              + ":"
              + Integer.toHexString(i ^ 0x5a5a)
              + "::1";
      if (limiter.decide(HttpRequestView.of("GET", "/", address, Map.of())).proceed()) {
        passed++;
      }
    }
    assertThat(passed).isEqualTo(1000);
  }
}
