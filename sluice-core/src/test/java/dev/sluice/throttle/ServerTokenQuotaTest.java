package dev.sluice.throttle;

import static dev.sluice.throttle.ThrottleTestSupport.quiet;
import static dev.sluice.throttle.ThrottleTestSupport.throttle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ServerTokenQuotaTest {
  private final ManualTimeSource time = new ManualTimeSource();

  private static Map<String, List<String>> openAi(long requestsLeft, long tokensLeft) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    map.put("x-ratelimit-limit-requests", List.of("60"));
    map.put("x-ratelimit-remaining-requests", List.of(String.valueOf(requestsLeft)));
    map.put("x-ratelimit-reset-requests", List.of("1s"));
    map.put("x-ratelimit-limit-tokens", List.of("6000"));
    map.put("x-ratelimit-remaining-tokens", List.of(String.valueOf(tokensLeft)));
    map.put("x-ratelimit-reset-tokens", List.of("1m0s"));
    return map;
  }

  @Test
  void anLlmBatchIsPacedOnRequestsAndTokensAtOnce() throws Exception {
    Throttle throttle = throttle(quiet().build(), time);
    try (Permit permit = throttle.acquire(100, Duration.ofSeconds(1))) {
      permit.recordHeaders(openAi(59, 1000)); // 1000 tokens left, refilling 100 per second
      permit.recordTokens(100);
      permit.recordSuccess();
    }
    // requests: 60 per minute, one per second
    assertThat(throttle.snapshot().serverInterval()).isEqualTo(Duration.ofSeconds(1));

    // a 1500-token call waits for the token quota: 500 more tokens at 100/s is 5 s
    CompletableFuture<Permit> big = throttle.acquireAsync(1500);
    time.advance(Duration.ofSeconds(4));
    assertThat(big).isNotDone();
    time.advance(Duration.ofSeconds(1));
    assertThat(big).succeedsWithin(Duration.ofSeconds(5));
    Permit permit = big.join();
    permit.recordTokens(300); // spent less than estimated: 1200 tokens come back
    permit.recordSuccess();
    permit.close();

    // the local view now holds 1200 tokens; a 1000-token call goes without waiting for tokens
    time.advance(Duration.ofSeconds(1));
    CompletableFuture<Permit> next = throttle.acquireAsync(1000);
    assertThat(next).succeedsWithin(Duration.ofSeconds(5));
    next.join().close();
  }

  @Test
  void aNewReportReplacesTheLocalView() {
    ServerTokenQuota quota = new ServerTokenQuota(time);
    quota.update(ServerSignals.read(openAi(10, 500), time.now()).quotas(), time.nanoTime());
    assertThat(quota.available()).isEqualTo(500);
    quota.update(ServerSignals.read(openAi(10, 50), time.now()).quotas(), time.nanoTime());
    assertThat(quota.available()).isEqualTo(50);
    time.advance(Duration.ofSeconds(1));
    assertThat(quota.available()).isEqualTo(150);
  }

  @Test
  void reportsWithoutTokenQuotasChangeNothing() throws Exception {
    Throttle throttle = throttle(quiet().build(), time);
    try (Permit permit = throttle.acquire()) {
      permit.recordHeaders(Map.of("x-ratelimit-remaining-requests", List.of("5")));
    }
    assertThat(throttle.acquireAsync(1_000_000)).isCompleted();
  }
}
