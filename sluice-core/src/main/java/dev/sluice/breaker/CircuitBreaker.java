package dev.sluice.breaker;

import dev.sluice.ConfigException;
import dev.sluice.Policy;
import dev.sluice.event.BreakerTransitioned;
import dev.sluice.event.PolicyListener;
import dev.sluice.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Stops calling a service that keeps failing, and finds out carefully when it is back.
 *
 * <p>CLOSED: calls pass and their outcomes are recorded; a trip rule of the {@link
 * CircuitBreakerConfig} opens the breaker. OPEN: calls are rejected at once with a {@link
 * CircuitOpenException} that says when to retry. After the open delay the breaker is HALF_OPEN:
 * exactly {@code halfOpenProbes} probe calls pass, the rest are rejected; as many successes close
 * it, any failure reopens it for twice as long (capped). By hand: {@link #trip()} holds it open
 * (FORCED_OPEN), {@link #disable()} lets everything pass (DISABLED), {@link #reset()} closes it,
 * {@link #openUntil(Instant)} holds it open until a known time such as a server's Retry-After.
 *
 * <p>Safe for concurrent use without {@code synchronized}: the state is an immutable object
 * replaced by compare-and-set, so each transition happens exactly once and is told to listeners
 * once. All timing goes through the {@link TimeSource}.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.builder()
 *     .name("inventory")
 *     .config(CircuitBreakerConfig.builder().consecutiveFailures(5).build())
 *     .build();
 * Stock stock = breaker.call(() -> inventory.stock(sku));
 * }</pre>
 */
public interface CircuitBreaker extends Policy {

  /**
   * Starts a builder with the default configuration and the system time source.
   *
   * @return a new builder
   */
  static Builder builder() {
    return new Builder();
  }

  /**
   * The breaker's name, used in messages and transitions.
   *
   * @return the name
   */
  String name();

  /**
   * The configuration.
   *
   * @return the configuration
   */
  CircuitBreakerConfig config();

  /**
   * The current state. An open breaker whose delay has passed reports (and becomes) HALF_OPEN.
   *
   * @return the state
   */
  CircuitState state();

  /**
   * Asks for a permit to make one call, without making it.
   *
   * @return a permit to report the outcome on, or empty when the call is rejected
   */
  Optional<CircuitPermit> tryAcquire();

  /**
   * Asks for a permit to make one call, without making it.
   *
   * @return a permit to report the outcome on
   * @throws CircuitOpenException if the call is rejected; it carries the time to retry after
   */
  CircuitPermit acquire();

  /**
   * How long until a call may be admitted.
   *
   * @return zero when one would be admitted now
   */
  Duration retryAfter();

  /**
   * Holds the breaker open until {@code until} (a server's Retry-After, a maintenance window), then
   * lets it go half-open as usual. Never shortens an open period already longer; has no effect on a
   * FORCED_OPEN or DISABLED breaker, nor with a time already past.
   *
   * @param until when to admit probes again
   */
  void openUntil(Instant until);

  /** Opens the breaker by hand (FORCED_OPEN); it stays open until {@link #reset()}. */
  void trip();

  /** Closes the breaker, clears its counts and resets the open delay to the base. */
  void reset();

  /** Switches the breaker off (DISABLED): every call passes, nothing is recorded. */
  void disable();

  /**
   * The state and counts at this moment.
   *
   * @return a snapshot
   */
  CircuitSnapshot snapshot();

  /**
   * Runs a call through the breaker.
   *
   * @param call the call
   * @param <T> the result type
   * @return the call's result
   * @throws CircuitOpenException if the call is rejected
   * @throws Exception whatever the call throws
   */
  @Override
  default <T extends @Nullable Object> T call(Callable<T> call) throws Exception {
    CircuitPermit permit = acquire();
    T result;
    try {
      result = call.call();
    } catch (Exception | Error e) {
      permit.recordOutcome(e, null);
      throw e;
    }
    permit.recordOutcome(null, result);
    return result;
  }

  /**
   * Runs a supplier through the breaker.
   *
   * @param supplier the call
   * @param <T> the result type
   * @return the call's result
   * @throws CircuitOpenException if the call is rejected
   */
  default <T extends @Nullable Object> T get(Supplier<T> supplier) {
    CircuitPermit permit = acquire();
    T result;
    try {
      result = supplier.get();
    } catch (RuntimeException | Error e) {
      permit.recordOutcome(e, null);
      throw e;
    }
    permit.recordOutcome(null, result);
    return result;
  }

  /**
   * Runs a runnable through the breaker.
   *
   * @param runnable the call
   * @throws CircuitOpenException if the call is rejected
   */
  default void run(Runnable runnable) {
    get(
        () -> {
          runnable.run();
          return null;
        });
  }

  /**
   * Wraps a supplier so that every call of the result goes through this breaker.
   *
   * @param supplier the call
   * @param <T> the result type
   * @return the protected supplier
   */
  default <T> Supplier<T> decorate(Supplier<T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    return () -> get(supplier);
  }

  /**
   * Wraps a function so that every call of the result goes through this breaker.
   *
   * @param function the call
   * @param <A> the argument type
   * @param <T> the result type
   * @return the protected function
   */
  default <A, T> Function<A, T> decorate(Function<A, T> function) {
    Objects.requireNonNull(function, "function");
    return argument -> get(() -> function.apply(argument));
  }

  /**
   * Runs an asynchronous call through the breaker. The outcome is reported when the stage
   * completes; cancelling the returned future gives the permit back at once.
   *
   * @param call starts the call
   * @param <T> the result type
   * @return a future of the call's result, failed with {@link CircuitOpenException} when rejected
   */
  @Override
  default <T extends @Nullable Object> CompletableFuture<T> callAsync(
      Supplier<? extends CompletionStage<T>> call) {
    CircuitPermit permit;
    try {
      permit = acquire();
    } catch (CircuitOpenException rejected) {
      return CompletableFuture.failedFuture(rejected);
    }
    CompletableFuture<T> out = new CompletableFuture<>();
    out.whenComplete((result, failure) -> permit.recordIgnored()); // no-op once reported
    CompletionStage<T> stage;
    try {
      stage = call.get();
    } catch (RuntimeException | Error e) {
      permit.recordOutcome(e, null);
      out.completeExceptionally(e);
      return out;
    }
    stage.whenComplete(
        (result, failure) -> {
          Throwable cause = Outcomes.unwrap(failure);
          permit.recordOutcome(cause, result);
          if (cause == null) {
            out.complete(result);
          } else {
            out.completeExceptionally(cause);
          }
        });
    return out;
  }

  /** Builds a {@link CircuitBreaker}. Not thread-safe. */
  final class Builder {
    private String name = "circuit-breaker";
    private CircuitBreakerConfig config = CircuitBreakerConfig.DEFAULT;
    private TimeSource time = TimeSource.system();
    private final List<PolicyListener> listeners = new ArrayList<>();

    private Builder() {}

    /**
     * The name used in messages and transitions.
     *
     * @param name not blank
     * @return this builder
     * @throws ConfigException if blank
     */
    public Builder name(String name) {
      Objects.requireNonNull(name, "breaker.name");
      if (name.isBlank()) {
        throw new ConfigException("breaker.name must not be blank, was \"" + name + "\"");
      }
      this.name = name;
      return this;
    }

    /**
     * The trip rules and recovery settings.
     *
     * @param config the configuration
     * @return this builder
     * @throws NullPointerException if {@code config} is null
     */
    public Builder config(CircuitBreakerConfig config) {
      this.config = Objects.requireNonNull(config, "breaker.config");
      return this;
    }

    /**
     * The time source for delays, windows and timeouts.
     *
     * @param time the time source
     * @return this builder
     * @throws NullPointerException if {@code time} is null
     */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "breaker.time-source");
      return this;
    }

    /**
     * Adds a listener; it hears a {@link BreakerTransitioned} for every state transition.
     *
     * @param listener the listener
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public Builder listener(PolicyListener listener) {
      listeners.add(Objects.requireNonNull(listener, "breaker.listener"));
      return this;
    }

    /**
     * Builds the breaker, closed.
     *
     * @return the breaker
     */
    public CircuitBreaker build() {
      return new DefaultCircuitBreaker(name, config, time, List.copyOf(listeners));
    }
  }
}
