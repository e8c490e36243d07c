package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.policy.Policy;
import dev.sluice.time.ManualTimeSource;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The rate-limit headers survive an application that throws, through both adapters. */
class ApplicationFailureIT {
  @ParameterizedTest
  @EnumSource(Adapter.class)
  void headersAreOnThe500OfAnApplicationThatThrows(Adapter adapter) throws Exception {
    ManualTimeSource time = new ManualTimeSource();
    HttpRateLimiter limiter =
        HttpRateLimiter.builder(
                Policy.builder()
                    .defaults(List.of(Limit.of("per-minute", 5, Duration.ofMinutes(1))))
                    .build())
            .limiter(RateLimiter.builder().timeSource(time).build())
            .build();
    try (Servers server = adapter.start(limiter)) {
      HttpResponse<String> thrown = server.get("/throw");
      assertThat(thrown.statusCode()).isEqualTo(500);
      assertThat(thrown.headers().firstValue("RateLimit-Policy"))
          .hasValue("\"per-minute\";q=5;w=60");
      assertThat(thrown.headers().firstValue("RateLimit").orElseThrow())
          .startsWith("\"per-minute\";r=4;t=");
      assertThat(thrown.headers().firstValue("X-RateLimit-Limit")).hasValue("5");
      assertThat(thrown.headers().firstValue("X-RateLimit-Remaining")).hasValue("4");
      assertThat(thrown.headers().firstValue("X-RateLimit-Reset")).isPresent();
      assertThat(server.get("/throw").headers().firstValue("X-RateLimit-Remaining")).hasValue("3");
    }
  }
}
