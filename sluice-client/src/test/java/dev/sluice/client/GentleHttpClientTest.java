package dev.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.breaker.CircuitBreaker;
import dev.sluice.breaker.CircuitBreakerConfig;
import dev.sluice.breaker.CircuitOpenException;
import dev.sluice.breaker.CircuitState;
import dev.sluice.event.RetryAttempted;
import dev.sluice.retry.Backoff;
import dev.sluice.retry.RetryDecision;
import dev.sluice.retry.RetryPolicy;
import dev.sluice.throttle.Throttle;
import dev.sluice.throttle.ThrottleConfig;
import dev.sluice.time.ManualTimeSource;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class GentleHttpClientTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final List<RetryAttempted> attempts = new CopyOnWriteArrayList<>();
  private final HttpClient jdk = HttpClient.newHttpClient();
  private ScriptedServer server;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedServer();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    jdk.close();
  }

  private RetryPolicy retry(int maxAttempts) {
    return RetryPolicy.builder()
        .maxAttempts(maxAttempts)
        .backoff(Backoff.fixed(Duration.ofMillis(100)))
        .timeSource(time)
        .listener(event -> attempts.add((RetryAttempted) event))
        .build();
  }

  /** A throttle that never paces or waits, so only the retry's waits touch the manual clock. */
  private Throttle throttle() {
    return Throttle.create(
        ThrottleConfig.builder().maxConcurrency(8).initialRate(0).failureThreshold(1_000).build(),
        time);
  }

  private HttpRequest get() {
    return HttpRequest.newBuilder(server.uri()).build();
  }

  private CompletableFuture<HttpResponse<String>> sendInBackground(HttpClient client) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return client.send(get(), BodyHandlers.ofString());
          } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private Duration delayOf(RetryAttempted attempt) {
    return ((RetryDecision.Retry) attempt.decision()).delay();
  }

  @Test
  void a429IsRetriedNoSoonerThanItsRetryAfterInSeconds() throws Exception {
    server.then(429, Map.of("Retry-After", "2"));
    Throttle throttle = throttle();
    HttpClient client =
        GentleHttpClient.builder(jdk).throttle(throttle).retry(retry(3)).timeSource(time).build();

    CompletableFuture<HttpResponse<String>> response = sendInBackground(client);
    await().until(() -> time.waiterCount() == 1);
    assertThat(attempts).singleElement().satisfies(a -> assertThat(delayOf(a)).hasSeconds(2));
    time.advance(Duration.ofMillis(1_999));
    assertThat(server.requests()).isEqualTo(1); // not a moment early
    time.advance(Duration.ofMillis(1));

    assertThat(response.get().statusCode()).isEqualTo(200);
    assertThat(server.requests()).isEqualTo(2);
    assertThat(throttle.snapshot().failuresInWindow()).isEqualTo(1); // the 429 slowed it down
  }

  @Test
  void aRetryAfterGivenAsAnHttpDateIsHonouredOnTheClientsClock() throws Exception {
    String inFiveSeconds =
        DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
            .format(time.now().plusSeconds(5).atOffset(ZoneOffset.UTC));
    server.then(503, Map.of("Retry-After", inFiveSeconds));
    HttpClient client = GentleHttpClient.builder(jdk).retry(retry(3)).timeSource(time).build();

    CompletableFuture<HttpResponse<String>> response = sendInBackground(client);
    await().until(() -> time.waiterCount() == 1);
    assertThat(delayOf(attempts.get(0))).hasSeconds(5);
    time.advance(Duration.ofSeconds(5));

    assertThat(response.get().statusCode()).isEqualTo(200);
  }

  @Test
  void whenRetriesRunOutTheLastFailureResponseIsReturnedAsItCame() throws Exception {
    server.then(503).then(503).then(502);
    HttpClient client = GentleHttpClient.builder(jdk).retry(retry(3)).timeSource(time).build();

    CompletableFuture<HttpResponse<String>> response = sendInBackground(client);
    await().until(() -> time.waiterCount() == 1);
    time.advance(Duration.ofMillis(100));
    await().until(() -> attempts.size() == 2 && time.waiterCount() == 1);
    time.advance(Duration.ofMillis(100));

    assertThat(response.get().statusCode()).isEqualTo(502);
    assertThat(response.get().body()).isEqualTo("status 502");
    assertThat(server.requests()).isEqualTo(3); // bounded by maxAttempts
    assertThat(attempts.get(2).gaveUp()).isTrue();
  }

  @Test
  void aClientErrorIsReturnedAtOnceAndCountsAsTheServerAnswering() throws Exception {
    server.then(404);
    Throttle throttle = throttle();
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .config(CircuitBreakerConfig.builder().consecutiveFailures(1).build())
            .timeSource(time)
            .build();
    HttpClient client =
        GentleHttpClient.builder(jdk)
            .throttle(throttle)
            .breaker(breaker)
            .retry(retry(3))
            .timeSource(time)
            .build();

    HttpResponse<String> response = client.send(get(), BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(server.requests()).isEqualTo(1);
    assertThat(attempts).singleElement().satisfies(a -> assertThat(a.succeeded()).isTrue());
    assertThat(breaker.snapshot().counts().successes()).isEqualTo(1);
    assertThat(throttle.snapshot().failuresInWindow()).isZero();
    assertThat(throttle.snapshot().completedTasks()).isEqualTo(1);
  }

  @Test
  void theFailureStatusesCanBeChosen() throws Exception {
    server.then(409);
    HttpClient client =
        GentleHttpClient.builder(jdk)
            .retry(retry(2))
            .failureStatus(status -> status == 409)
            .timeSource(time)
            .build();

    CompletableFuture<HttpResponse<String>> response = sendInBackground(client);
    await().until(() -> time.waiterCount() == 1);
    time.advance(Duration.ofMillis(100));

    assertThat(response.get().statusCode()).isEqualTo(200);
    assertThat(server.requests()).isEqualTo(2);
  }

  @Test
  void aDeadUpstreamIsRetriedWithinTheBoundThenOpensTheBreaker() throws Exception {
    URI dead;
    try (ServerSocket socket = new ServerSocket(0)) {
      dead = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    } // closed: nothing listens there now
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .config(
                CircuitBreakerConfig.builder()
                    .consecutiveFailures(2)
                    .openDelay(Duration.ofMinutes(1))
                    .build())
            .timeSource(time)
            .build();
    HttpClient client =
        GentleHttpClient.builder(jdk).breaker(breaker).retry(retry(2)).timeSource(time).build();
    HttpRequest request = HttpRequest.newBuilder(dead).build();

    CompletableFuture<Throwable> first =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                client.send(request, BodyHandlers.ofString());
                return null;
              } catch (Exception e) {
                return e;
              }
            });
    await().until(() -> time.waiterCount() == 1);
    time.advance(Duration.ofMillis(100));

    assertThat(first.get()).isInstanceOf(ConnectException.class);
    assertThat(attempts).hasSize(2); // bounded by maxAttempts
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    HttpClient noRetry = GentleHttpClient.builder(jdk).breaker(breaker).timeSource(time).build();
    assertThatThrownBy(() -> noRetry.send(request, BodyHandlers.ofString()))
        .isInstanceOf(CircuitOpenException.class);
  }

  @Test
  void sendAsyncRetriesA429AndCompletesWithTheSuccess() throws Exception {
    server.then(429, Map.of("Retry-After", "1"));
    Throttle throttle = throttle();
    HttpClient client =
        GentleHttpClient.builder(jdk).throttle(throttle).retry(retry(3)).timeSource(time).build();

    CompletableFuture<HttpResponse<String>> response =
        client.sendAsync(get(), BodyHandlers.ofString());
    await().until(() -> time.pendingDelays() == 1);
    assertThat(delayOf(attempts.get(0))).hasSeconds(1);
    time.advance(Duration.ofSeconds(1));

    assertThat(response.get().statusCode()).isEqualTo(200);
    assertThat(server.requests()).isEqualTo(2);
    await().until(() -> throttle.snapshot().inFlight() == 0);
    assertThat(throttle.snapshot().completedTasks()).isEqualTo(1);
  }

  @Test
  void sendAsyncReturnsTheLastFailureResponseWhenRetriesRunOut() throws Exception {
    server.then(503).then(503);
    HttpClient client = GentleHttpClient.builder(jdk).retry(retry(2)).timeSource(time).build();

    CompletableFuture<HttpResponse<String>> response =
        client.sendAsync(get(), BodyHandlers.ofString());
    await().until(() -> time.pendingDelays() == 1);
    time.advance(Duration.ofMillis(100));

    assertThat(response.get().statusCode()).isEqualTo(503);
    assertThat(server.requests()).isEqualTo(2);
  }

  @Test
  void withoutPoliciesItIsThePlainClient() throws Exception {
    server.then(503);
    HttpClient client = GentleHttpClient.builder(jdk).build();

    assertThat(client.send(get(), BodyHandlers.ofString()).statusCode()).isEqualTo(503);
    assertThat(client.version()).isEqualTo(jdk.version());
    assertThat(server.requests()).isEqualTo(1);
  }

  @Test
  void cancellingAnAsyncSendStopsItsRetries() throws Exception {
    server.then(503).then(503).then(503);
    HttpClient client = GentleHttpClient.builder(jdk).retry(retry(4)).timeSource(time).build();

    CompletableFuture<HttpResponse<String>> response =
        client.sendAsync(get(), BodyHandlers.ofString());
    await().until(() -> server.requests() == 1 && time.pendingDelays() == 1);
    response.cancel(false);
    time.advance(Duration.ofSeconds(1));

    assertThat(response).isCancelled();
    // no second request follows: it would reach the server within milliseconds
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> server.requests() == 1);
  }
}
