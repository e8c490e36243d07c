package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.RateLimiter;
import dev.sluice.ratelimit.policy.Policy;
import dev.sluice.ratelimit.policy.Rule;
import dev.sluice.retry.RateLimitHeaders;
import dev.sluice.retry.RateLimitStatus;
import dev.sluice.time.ManualTimeSource;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The spec's independent tests for user stories 1, 2 and 7, through both adapters. */
class UserStoriesIT {
  private final ManualTimeSource time = new ManualTimeSource();

  private HttpRateLimiter limiter(Policy policy) {
    return HttpRateLimiter.builder(policy)
        .limiter(RateLimiter.builder().timeSource(time).build())
        .documentationUrl("https://api.example.com/docs/rate-limits")
        .build();
  }

  private static Policy perMinute(long quota) {
    return Policy.builder()
        .defaults(List.of(Limit.of("per-minute", quota, Duration.ofMinutes(1))))
        .build();
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void us1_101RequestsFromOneAddress_100PassWithHeaders_101stIs429WithRetryAfter(Adapter adapter)
      throws Exception {
    try (Servers server = adapter.start(limiter(perMinute(100)))) {
      for (int i = 1; i <= 100; i++) {
        HttpResponse<String> ok = server.get("/api/v1/test");
        assertThat(ok.statusCode()).as("request %d", i).isEqualTo(200);
        assertThat(ok.headers().firstValue("X-RateLimit-Limit")).hasValue("100");
        assertThat(ok.headers().firstValue("X-RateLimit-Remaining"))
            .hasValue(Long.toString(100 - i));
        assertThat(ok.headers().firstValue("X-RateLimit-Reset")).isPresent();
      }
      HttpResponse<String> refused = server.get("/api/v1/test");
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      assertThat(refused.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/problem+json");
    }
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void us2_healthAndComputeHaveIndependentCounters(Adapter adapter) throws Exception {
    Policy policy =
        Policy.builder()
            .rule(
                Rule.builder("health")
                    .path("/health")
                    .limits(List.of(Limit.of("health", 1000, Duration.ofMinutes(1))))
                    .build())
            .rule(
                Rule.builder("compute")
                    .path("/compute")
                    .limits(List.of(Limit.of("compute", 10, Duration.ofMinutes(1))))
                    .build())
            .build();
    try (Servers server = adapter.start(limiter(policy))) {
      for (int i = 0; i < 15; i++) {
        assertThat(server.get("/health").statusCode()).isEqualTo(200);
      }
      for (int i = 1; i <= 10; i++) {
        assertThat(server.get("/compute").statusCode()).as("compute %d", i).isEqualTo(200);
      }
      HttpResponse<String> eleventh = server.get("/compute");
      assertThat(eleventh.statusCode()).isEqualTo(429);
      assertThat(eleventh.body()).contains("\"violated-policies\":[\"compute\"]");
      HttpResponse<String> health = server.get("/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.headers().firstValue("X-RateLimit-Remaining")).hasValue("984");
    }
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void us7_headersOn200_429_andApplication500(Adapter adapter) throws Exception {
    try (Servers server = adapter.start(limiter(perMinute(2)))) {
      HttpResponse<String> ok = server.get("/items");
      HttpResponse<String> boom = server.get("/boom");
      HttpResponse<String> refused = server.get("/items");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(boom.statusCode()).isEqualTo(500);
      assertThat(refused.statusCode()).isEqualTo(429);
      for (HttpResponse<String> response : List.of(ok, boom, refused)) {
        assertThat(response.headers().firstValue("RateLimit-Policy"))
            .hasValue("\"per-minute\";q=2;w=60");
        List<RateLimitStatus> status =
            RateLimitHeaders.parseRateLimit(
                response.headers().firstValue("RateLimit").orElseThrow());
        assertThat(status)
            .singleElement()
            .satisfies(s -> assertThat(s.name()).isEqualTo("per-minute"));
        assertThat(response.headers().firstValue("X-RateLimit-Limit")).hasValue("2");
      }
      assertThat(boom.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
    }
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void us7_retryAtTheAdvertisedSecondPasses_oneSecondEarlierDoesNot(Adapter adapter)
      throws Exception {
    try (Servers server = adapter.start(limiter(perMinute(10)))) {
      for (int i = 0; i < 10; i++) {
        assertThat(server.get("/compute").statusCode()).isEqualTo(200);
      }
      time.advance(Duration.ofMillis(1234)); // off the second boundary
      HttpResponse<String> refused = server.get("/compute");
      assertThat(refused.statusCode()).isEqualTo(429);
      long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
      assertThat(retryAfter).isPositive();
      time.advance(Duration.ofSeconds(retryAfter - 1));
      assertThat(server.get("/compute").statusCode()).isEqualTo(429);
      time.advance(Duration.ofSeconds(1));
      assertThat(server.get("/compute").statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Adapter.class)
  void us7_429BodyMatchesTheSchemaAndListsEveryExceededLimit(Adapter adapter) throws Exception {
    Policy policy =
        Policy.builder()
            .defaults(
                List.of(
                    Limit.of("per-second", 2, Duration.ofSeconds(1)),
                    Limit.of("per-minute", 2, Duration.ofMinutes(1))))
            .build();
    try (Servers server = adapter.start(limiter(policy))) {
      server.get("/x");
      server.get("/x");
      HttpResponse<String> refused = server.get("/x");
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(SchemaCheck.violations("/quota-exceeded.schema.json", refused.body())).isEmpty();
      JsonNode body = new ObjectMapper().readTree(refused.body());
      assertThat(body.get("violated-policies").toString())
          .isEqualTo("[\"per-second\",\"per-minute\"]");
      assertThat(body.get("limits").get(1).get("quota").asLong()).isEqualTo(2);
      assertThat(body.get("limits").get(1).get("window").asLong()).isEqualTo(60);
      assertThat(body.get("documentation-url").asText())
          .isEqualTo("https://api.example.com/docs/rate-limits");
      assertThat(body.get("retry-after").asText())
          .isEqualTo(refused.headers().firstValue("Retry-After").orElseThrow());
      HttpResponse<String> asJson = server.get("/x", "Accept", "application/json");
      assertThat(asJson.headers().firstValue("Content-Type").orElseThrow())
          .startsWith("application/json");
    }
  }
}
