package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.policy.Policy;
import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Clients behind one trusted proxy (the test client's 127.0.0.1) cannot choose their identity. */
class ProxiedClientsIT {
  private final ManualTimeSource time = new ManualTimeSource();

  private HttpRateLimiter limiter(long quota) {
    return HttpRateLimiter.builder(
            Policy.builder()
                .defaults(List.of(Limit.of("per-minute", quota, Duration.ofMinutes(1))))
                .build())
        .limiter(RateLimiter.builder().timeSource(time).build())
        .identity(ClientIdentity.builder().trustedProxies(List.of("127.0.0.1/32", "::1")).build())
        .build();
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void rotatingTheForgeablePartOfXForwardedForStaysOneIdentity(Adapter adapter) throws Exception {
    try (Servers server = adapter.start(limiter(5))) {
      for (int i = 0; i < 5; i++) {
        String forged = "198.51.100." + i + ", 10.9.8." + i;
        assertThat(server.get("/x", "X-Forwarded-For", forged + ", 203.0.113.7").statusCode())
            .isEqualTo(200);
      }
      assertThat(server.get("/x", "X-Forwarded-For", "192.0.2.99, 203.0.113.7").statusCode())
          .isEqualTo(429);
      assertThat(server.get("/x", "X-Forwarded-For", "203.0.113.8").statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void ipv6AddressesOfOnePrefixShareOneBudget(Adapter adapter) throws Exception {
    try (Servers server = adapter.start(limiter(100))) {
      int passed = 0;
      for (int i = 0; i < 256; i++) {
        String address =
            "2001:db8:1:2:" + Integer.toHexString(i * 257) + "::" + Integer.toHexString(i);
        if (server.get("/x", "X-Forwarded-For", address).statusCode() == 200) {
          passed++;
        }
      }
      assertThat(passed).isEqualTo(100);
      assertThat(server.get("/x", "Forwarded", "for=\"[2001:db8:1:3::1]:443\"").statusCode())
          .isEqualTo(200);
    }
  }
}
