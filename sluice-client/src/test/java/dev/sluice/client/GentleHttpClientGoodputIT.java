package dev.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.RateLimitDialect;
import dev.sluice.testkit.RateLimitedServer;
import dev.sluice.throttle.Throttle;
import dev.sluice.throttle.ThrottleConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gentle client against a real rate-limited server, as a user would run it: 32 virtual-thread
 * callers sending as fast as the client lets them, the throttle's defaults plus {@code
 * maxConcurrency(16)}, no retries (a 429 comes back as a response). The bounds are looser than the
 * 60 s figures of {@code docs/benchmarks.md}: 15 s include the start against an unknown limit, on a
 * machine that may be busy.
 */
@Timeout(120)
class GentleHttpClientGoodputIT {
  private static final int LIMIT = 20;
  private static final int BURST = 20;
  private static final Duration RUN = Duration.ofSeconds(15);

  @ParameterizedTest(name = "{0}")
  @CsvSource({"IETF, 0.90, 0.01", "NONE, 0.80, 0.08"})
  void holdsCloseToTheLimitWithFewRefusals(
      RateLimitDialect dialect, double minGoodput, double maxRefusedShare) throws Exception {
    try (RateLimitedServer server =
            RateLimitedServer.builder()
                .rate(LIMIT)
                .burst(BURST)
                .latency(Duration.ofMillis(20), Duration.ofMillis(80))
                .dialect(dialect)
                .start();
        Throttle throttle = Throttle.create(ThrottleConfig.builder().maxConcurrency(16).build());
        HttpClient client =
            GentleHttpClient.builder(HttpClient.newHttpClient()).throttle(throttle).build()) {
      HttpRequest request = HttpRequest.newBuilder(server.uri()).build();
      long deadline = System.nanoTime() + RUN.toNanos();
      List<Future<Integer>> callers = new ArrayList<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 32; i++) {
          callers.add(
              pool.submit(
                  () -> {
                    int calls = 0;
                    while (System.nanoTime() < deadline) {
                      client.send(request, BodyHandlers.discarding());
                      calls++;
                    }
                    return calls;
                  }));
        }
        for (Future<Integer> caller : callers) {
          caller.get();
        }
      }
      long admitted = server.admitted();
      long refused = server.refused();
      double goodput = admitted / (LIMIT * (double) RUN.toSeconds() + BURST);
      double refusedShare = refused / (double) Math.max(1, admitted + refused);
      System.out.printf(
          "gentle client, %s headers: %d admitted, %d refused in %d s: goodput %.3f of the"
              + " limit, %.2f%% refused, %s%n",
          dialect,
          admitted,
          refused,
          RUN.toSeconds(),
          goodput,
          100 * refusedShare,
          throttle.snapshot());

      assertThat(goodput).as("admitted over what the limit allowed").isGreaterThan(minGoodput);
      assertThat(refusedShare).as("share refused").isLessThanOrEqualTo(maxRefusedShare);
    }
  }
}
