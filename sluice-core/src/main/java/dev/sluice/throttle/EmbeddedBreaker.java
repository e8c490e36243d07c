package dev.sluice.throttle;

import dev.sluice.breaker.CircuitBreaker;
import dev.sluice.breaker.CircuitOpenException;
import dev.sluice.breaker.CircuitPermit;
import dev.sluice.breaker.CircuitState;
import dev.sluice.time.TimeSource;
import java.time.Duration;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The circuit breaker a {@link Throttle} embeds when its config has one ({@link
 * ThrottleConfig#circuitBreaker()}): it fails acquisitions fast while open, gives its permission
 * last (after every wait, so a half-open probe is not held by a waiting caller), and hears each
 * permit's outcome through the throttle's failure predicate, staying open as long as a server's
 * {@code Retry-After} asks.
 */
final class EmbeddedBreaker {
  private final CircuitBreaker breaker;
  private final Predicate<Throwable> failurePredicate;
  private final TimeSource time;

  private EmbeddedBreaker(
      CircuitBreaker breaker, Predicate<Throwable> failurePredicate, TimeSource time) {
    this.breaker = breaker;
    this.failurePredicate = failurePredicate;
    this.time = time;
  }

  /** The embedded breaker of {@code config}, or {@code null} when it has none. */
  static @Nullable EmbeddedBreaker of(
      ThrottleConfig config, TimeSource time, Runnable onTransition) {
    if (config.circuitBreaker() == null) {
      return null;
    }
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .name("throttle")
            .config(config.circuitBreaker())
            .timeSource(time)
            .listener(transition -> onTransition.run())
            .build();
    return new EmbeddedBreaker(breaker, config.failurePredicate(), time);
  }

  boolean isOpen() {
    return isOpen(breaker.state());
  }

  void failFastIfOpen() {
    CircuitState state = breaker.state();
    if (isOpen(state)) {
      throw new CircuitOpenException(breaker.name(), state, breaker.retryAfter());
    }
  }

  CircuitPermit permission() {
    return breaker
        .tryAcquire()
        .orElseThrow(
            () -> new CircuitOpenException(breaker.name(), breaker.state(), breaker.retryAfter()));
  }

  void report(Permit permit) {
    CircuitPermit circuit = permit.circuit();
    if (circuit == null) {
      return;
    }
    switch (permit.outcome()) {
      case SUCCESS -> circuit.recordSuccess();
      case FAILURE -> {
        if (failurePredicate.test(permit.failure())) {
          circuit.recordFailure();
          Duration retryAfter = permit.retryAfter();
          if (retryAfter != null && isOpen() && retryAfter.compareTo(breaker.retryAfter()) > 0) {
            breaker.openUntil(time.now().plus(retryAfter)); // the server said when to come back
          }
        } else {
          circuit.recordIgnored();
        }
      }
      case IGNORED, NONE -> circuit.recordIgnored();
    }
  }

  private static boolean isOpen(CircuitState state) {
    return state == CircuitState.OPEN || state == CircuitState.FORCED_OPEN;
  }
}
