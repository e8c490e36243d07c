package dev.sluice.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.time.ManualTimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DecoratorsTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final CircuitBreaker breaker =
      CircuitBreaker.builder()
          .config(
              CircuitBreakerConfig.builder()
                  .consecutiveFailures(2)
                  .openDelay(Duration.ofSeconds(5))
                  .build())
          .timeSource(time)
          .build();

  @Test
  void decoratedSuppliersAndFunctionsRunThroughTheBreaker() {
    AtomicInteger calls = new AtomicInteger();
    Supplier<Integer> supplier = breaker.decorate(calls::incrementAndGet);
    Function<String, Integer> length = breaker.decorate(String::length);
    assertThat(supplier.get()).isEqualTo(1);
    assertThat(length.apply("four")).isEqualTo(4);
    breaker.run(calls::incrementAndGet);
    assertThat(breaker.snapshot().counts().successes()).isEqualTo(3);
  }

  @Test
  void failuresPropagateUnchangedAndCount() {
    IllegalStateException boom = new IllegalStateException("boom");
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(
              () ->
                  breaker.get(
                      () -> {
                        throw boom;
                      }))
          .isSameAs(boom);
    }
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(() -> breaker.run(calls::incrementAndGet))
        .isInstanceOf(CircuitOpenException.class);
    assertThat(calls).as("a rejected call is never made").hasValue(0);
  }

  @Test
  void callableCheckedExceptionsPropagateAndCount() {
    IOException io = new IOException("down");
    assertThatThrownBy(
            () ->
                breaker.call(
                    () -> {
                      throw io;
                    }))
        .isSameAs(io);
    assertThat(breaker.snapshot().consecutiveFailures()).isEqualTo(1);
  }

  @Test
  void asyncCallsReportWhenTheirStageCompletes() {
    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletableFuture<String> result = breaker.callAsync(() -> pending);
    assertThat(breaker.snapshot().counts().successes()).isZero();
    pending.complete("ok");
    assertThat(result).isCompletedWithValue("ok");
    assertThat(breaker.snapshot().counts().successes()).isEqualTo(1);

    IOException io = new IOException();
    breaker.callAsync(() -> CompletableFuture.failedFuture(io));
    CompletableFuture<String> failed = breaker.callAsync(() -> CompletableFuture.failedFuture(io));
    assertThatThrownBy(failed::join).hasCause(io);
    assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void aRejectedAsyncCallIsAFailedFutureCarryingRetryAfter() {
    breaker.trip();
    AtomicInteger started = new AtomicInteger();
    CompletableFuture<String> result =
        breaker.callAsync(
            () -> {
              started.incrementAndGet();
              return CompletableFuture.completedFuture("never");
            });
    assertThatThrownBy(result::join)
        .hasCauseInstanceOf(CircuitOpenException.class)
        .cause()
        .satisfies(
            e ->
                assertThat(((CircuitOpenException) e).retryAfter())
                    .isEqualTo(Duration.ofSeconds(5)));
    assertThat(started).hasValue(0);
  }

  @Test
  void anAsyncCallThatThrowsBeforeReturningAStageCountsAsAFailure() {
    CompletableFuture<String> result =
        breaker.callAsync(
            () -> {
              throw new IllegalStateException("no stage");
            });
    assertThat(result).isCompletedExceptionally();
    assertThat(breaker.snapshot().counts().failures()).isEqualTo(1);
  }

  @Test
  void slowCallTimingStillWorksThroughTheDecorators() {
    CircuitBreaker timed =
        CircuitBreaker.builder()
            .config(
                CircuitBreakerConfig.builder()
                    .consecutiveFailures(0)
                    .slowCallRate(100, Duration.ofSeconds(1))
                    .window(WindowType.COUNT_BASED, 1, 1)
                    .build())
            .timeSource(time)
            .build();
    timed.run(() -> time.advance(Duration.ofSeconds(1)));
    assertThat(timed.state()).isEqualTo(CircuitState.OPEN);
  }
}
