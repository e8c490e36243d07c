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
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class GentleInterceptorTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final List<RetryAttempted> attempts = new CopyOnWriteArrayList<>();
  private ScriptedServer server;

  @BeforeEach
  void start() throws Exception {
    server = new ScriptedServer();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private RetryPolicy retry(int maxAttempts) {
    return RetryPolicy.builder()
        .maxAttempts(maxAttempts)
        .backoff(Backoff.fixed(Duration.ofMillis(100)))
        .timeSource(time)
        .listener(event -> attempts.add((RetryAttempted) event))
        .build();
  }

  private OkHttpClient client(GentleInterceptor interceptor) {
    return new OkHttpClient.Builder().addInterceptor(interceptor).build();
  }

  private CompletableFuture<String> callInBackground(OkHttpClient client, String url) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Response response =
              client.newCall(new Request.Builder().url(url).build()).execute()) {
            return response.code() + " " + response.body().string();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  @Test
  void a429IsRetriedAfterItsRetryAfterAndTheThrottleHearsIt() throws Exception {
    server.then(429, Map.of("Retry-After", "3"));
    Throttle throttle =
        Throttle.create(
            ThrottleConfig.builder()
                .maxConcurrency(4)
                .initialRate(0)
                .failureThreshold(1_000)
                .build(),
            time);
    OkHttpClient client =
        client(
            GentleInterceptor.builder()
                .throttle(throttle)
                .retry(retry(3))
                .timeSource(time)
                .build());

    CompletableFuture<String> answer = callInBackground(client, server.uri().toString());
    await().until(() -> time.waiterCount() == 1);
    assertThat(((RetryDecision.Retry) attempts.get(0).decision()).delay()).hasSeconds(3);
    time.advance(Duration.ofSeconds(3));

    assertThat(answer.get()).isEqualTo("200 status 200");
    assertThat(server.requests()).isEqualTo(2);
    assertThat(throttle.snapshot().failuresInWindow()).isEqualTo(1);
    assertThat(throttle.snapshot().completedTasks()).isEqualTo(1);
  }

  @Test
  void whenRetriesRunOutTheLastResponseIsReturnedWithItsBody() throws Exception {
    server.then(503).then(503);
    OkHttpClient client =
        client(GentleInterceptor.builder().retry(retry(2)).timeSource(time).build());

    CompletableFuture<String> answer = callInBackground(client, server.uri().toString());
    await().until(() -> time.waiterCount() == 1);
    time.advance(Duration.ofMillis(100));

    assertThat(answer.get()).isEqualTo("503 status 503");
    assertThat(server.requests()).isEqualTo(2);
  }

  @Test
  void aClientErrorIsReturnedAtOnce() throws Exception {
    server.then(404);
    OkHttpClient client =
        client(GentleInterceptor.builder().retry(retry(3)).timeSource(time).build());

    assertThat(callInBackground(client, server.uri().toString()).get()).isEqualTo("404 status 404");
    assertThat(server.requests()).isEqualTo(1);
  }

  @Test
  void aDeadUpstreamOpensTheBreakerAndLaterCallsAreRefusedAtOnce() throws Exception {
    String dead;
    try (ServerSocket socket = new ServerSocket(0)) {
      dead = "http://127.0.0.1:" + socket.getLocalPort() + "/";
    }
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .config(
                CircuitBreakerConfig.builder()
                    .consecutiveFailures(1)
                    .openDelay(Duration.ofMinutes(1))
                    .build())
            .timeSource(time)
            .build();
    OkHttpClient client =
        new OkHttpClient.Builder()
            .retryOnConnectionFailure(false)
            .addInterceptor(GentleInterceptor.builder().breaker(breaker).timeSource(time).build())
            .build();
    Request request = new Request.Builder().url(dead).build();

    assertThatThrownBy(() -> client.newCall(request).execute())
        .isInstanceOf(ConnectException.class);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    assertThatThrownBy(() -> client.newCall(request).execute())
        .isInstanceOf(CircuitOpenException.class);
  }

  @Test
  void aFailedAnswerIsClosedWhenTheBreakerThenRefusesTheRetry() throws Exception {
    server.then(503);
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .config(
                CircuitBreakerConfig.builder()
                    .consecutiveFailures(1)
                    .openDelay(Duration.ofMinutes(1))
                    .build())
            .timeSource(time)
            .build();
    RetryPolicy retry =
        RetryPolicy.builder()
            .maxAttempts(3)
            .backoff(Backoff.fixed(Duration.ofMillis(1)))
            .abortOn(CircuitOpenException.class)
            .build(); // the system clock: its one wait is a millisecond
    OkHttpClient client =
        client(GentleInterceptor.builder().breaker(breaker).retry(retry).timeSource(time).build());
    Request request = new Request.Builder().url(server.uri().toString()).build();

    assertThatThrownBy(() -> client.newCall(request).execute())
        .isInstanceOf(CircuitOpenException.class);

    // the 503's connection went back to the pool: its response was closed, not leaked
    await().until(() -> client.connectionPool().idleConnectionCount() == 1);
    assertThat(server.requests()).isEqualTo(1);
  }
}
