package dev.sluice.http.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.http.HttpRateLimiter;
import dev.sluice.ratelimit.Limit;
import dev.sluice.ratelimit.policy.Policy;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.junit.jupiter.api.Test;

/**
 * What the handler tells Jetty about its decisions: a decision may wait (Redis, a key-set fetch)
 * unless the embedder says it cannot, so Jetty never runs a waiting decision on its I/O thread.
 */
class RateLimitHandlerInvocationTest {
  private final HttpRateLimiter limiter =
      HttpRateLimiter.builder(
              Policy.builder()
                  .defaults(List.of(Limit.of("per-second", 5, Duration.ofSeconds(1))))
                  .build())
          .build();

  private static Handler child(InvocationType type) {
    return new Handler.Abstract(type) {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        return false;
      }
    };
  }

  @Test
  void decisionsAreBlockingUnlessDeclaredOtherwiseEvenInFrontOfANonBlockingHandler() {
    assertThat(
            new RateLimitHandler(limiter, child(InvocationType.NON_BLOCKING)).getInvocationType())
        .isEqualTo(InvocationType.BLOCKING);
    assertThat(
            new RateLimitHandler(() -> limiter, child(InvocationType.NON_BLOCKING))
                .getInvocationType())
        .isEqualTo(InvocationType.BLOCKING);
  }

  @Test
  void nonBlockingDecisionsInFrontOfANonBlockingHandlerLetTheRequestRunOnTheIoThread() {
    assertThat(
            new RateLimitHandler(
                    () -> limiter, child(InvocationType.NON_BLOCKING), InvocationType.NON_BLOCKING)
                .getInvocationType())
        .isEqualTo(InvocationType.NON_BLOCKING);
  }

  @Test
  void aBlockingHandlerBehindNonBlockingDecisionsKeepsTheRequestOnAPoolThread() {
    assertThat(
            new RateLimitHandler(
                    () -> limiter, child(InvocationType.BLOCKING), InvocationType.NON_BLOCKING)
                .getInvocationType())
        .isEqualTo(InvocationType.BLOCKING);
  }
}
