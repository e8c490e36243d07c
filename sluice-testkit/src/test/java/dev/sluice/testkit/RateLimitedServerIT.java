package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rate-limited test server over real HTTP, with the JDK's client. */
class RateLimitedServerIT {
  private final HttpClient client = HttpClient.newHttpClient();

  private HttpResponse<String> get(RateLimitedServer server) throws Exception {
    return client.send(
        HttpRequest.newBuilder(server.uri()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aBucketAdmitsItsBurstThenRefusesAndCountsBoth() throws Exception {
    // 1 token per 10 s: nothing refills during the test, however slow the machine
    try (RateLimitedServer server = RateLimitedServer.builder().rate(0.1).burst(5).start()) {
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        statuses.add(get(server).statusCode());
      }
      assertThat(statuses.subList(0, 5)).containsOnly(200);
      assertThat(statuses.subList(5, 8)).containsOnly(429);
      assertThat(server.admitted()).isEqualTo(5);
      assertThat(server.refused()).isEqualTo(3);
      assertThat(Arrays.stream(server.admittedBySecond()).sum()).isEqualTo(5);
      assertThat(Arrays.stream(server.refusedBySecond()).sum()).isEqualTo(3);
    }
  }

  @Test
  void retryAfterOnARefusalIsWholeSecondsAndAtLeastOne() throws Exception {
    try (RateLimitedServer server =
        RateLimitedServer.builder().rate(0.1).burst(1).retryAfterOn429(true).start()) {
      assertThat(get(server).headers().firstValue("Retry-After")).isEmpty();
      HttpResponse<String> refused = get(server);
      assertThat(refused.statusCode()).isEqualTo(429);
      long seconds = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
      assertThat(seconds).isBetween(1L, 10L);
    }
  }

  @Test
  void eachDialectWritesItsFields() throws Exception {
    try (RateLimitedServer ietf =
            RateLimitedServer.builder().rate(50).burst(10).dialect(RateLimitDialect.IETF).start();
        RateLimitedServer openai =
            RateLimitedServer.builder()
                .rate(50)
                .burst(10)
                .dialect(RateLimitDialect.OPENAI)
                .start();
        RateLimitedServer anthropic =
            RateLimitedServer.builder()
                .rate(50)
                .burst(10)
                .dialect(RateLimitDialect.ANTHROPIC)
                .start();
        RateLimitedServer github =
            RateLimitedServer.builder()
                .algorithm(RateLimitAlgorithm.FIXED_WINDOW)
                .rate(50)
                .dialect(RateLimitDialect.GITHUB)
                .start()) {
      var h = get(ietf).headers();
      assertThat(h.firstValue("RateLimit-Policy").orElseThrow()).isEqualTo("\"default\";q=50;w=1");
      assertThat(h.firstValue("RateLimit").orElseThrow()).matches("\"default\";r=\\d+;t=\\d+");
      h = get(openai).headers();
      assertThat(h.firstValue("x-ratelimit-limit-requests")).contains("3000");
      assertThat(h.firstValue("x-ratelimit-remaining-requests").orElseThrow()).matches("\\d+");
      assertThat(h.firstValue("x-ratelimit-reset-requests").orElseThrow())
          .matches("(\\d+h)?(\\d+m)?(\\d+(\\.\\d+)?s|\\d+ms)|0s");
      h = get(anthropic).headers();
      assertThat(h.firstValue("anthropic-ratelimit-requests-limit")).contains("3000");
      assertThat(Instant.parse(h.firstValue("anthropic-ratelimit-requests-reset").orElseThrow()))
          .isAfter(Instant.now().minusSeconds(60));
      h = get(github).headers();
      assertThat(h.firstValue("x-ratelimit-limit")).contains("50");
      assertThat(Long.parseLong(h.firstValue("x-ratelimit-reset").orElseThrow()))
          .isGreaterThanOrEqualTo(Instant.now().getEpochSecond() - 1);
      assertThat(h.firstValue("x-ratelimit-resource")).contains("core");
    }
  }

  @Test
  void aTokenQuotaRefusesARequestThatCostsMoreThanIsLeft() throws Exception {
    try (RateLimitedServer server =
        RateLimitedServer.builder()
            .rate(100)
            .tokensPerMinute(1_000)
            .dialect(RateLimitDialect.OPENAI)
            .start()) {
      HttpRequest costly =
          HttpRequest.newBuilder(server.uri()).header("X-Cost-Tokens", "900").build();
      HttpResponse<String> first = client.send(costly, HttpResponse.BodyHandlers.ofString());
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.headers().firstValue("x-ratelimit-limit-tokens")).contains("1000");
      assertThat(client.send(costly, HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(429);
    }
  }

  @Test
  void theResponseWaitsAtLeastTheLowerLatencyBound() throws Exception {
    try (RateLimitedServer server =
        RateLimitedServer.builder()
            .rate(100)
            .latency(Duration.ofMillis(80), Duration.ofMillis(120))
            .start()) {
      long start = System.nanoTime();
      assertThat(get(server).statusCode()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(80));
    }
  }

  @Test
  void badSettingsNameTheSettingTheRuleAndTheValue() {
    assertThatThrownBy(() -> RateLimitedServer.builder().rate(0).start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("RateLimitedServer.rate must be > 0, was 0.0");
    assertThatThrownBy(
            () ->
                RateLimitedServer.builder()
                    .latency(Duration.ofMillis(5), Duration.ofMillis(1))
                    .start())
        .hasMessage("RateLimitedServer.latency max must be >= min (PT0.005S), was PT0.001S");
  }
}
