package dev.sluice.metrics;

import dev.sluice.breaker.CircuitBreaker;
import dev.sluice.breaker.CircuitSnapshot;
import dev.sluice.breaker.CircuitState;
import dev.sluice.event.BreakerTransitioned;
import dev.sluice.event.PolicyEvent;
import dev.sluice.event.PolicyListener;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.ToDoubleFunction;

/**
 * Metrics of circuit breakers: pass it to each breaker's builder as its listener (for transitions),
 * {@link #track} the built breakers (for state and calls), and bind it. Transitions are counted
 * from the start, whether or not the binder is bound yet.
 *
 * <pre>{@code
 * CircuitBreakerMetrics metrics = new CircuitBreakerMetrics();
 * CircuitBreaker breaker = CircuitBreaker.builder().name("payments").listener(metrics).build();
 * metrics.track(breaker).bindTo(registry);
 * }</pre>
 *
 * <p>Meters, tagged with the breaker's name: {@code sluice.breaker.state} (1 for the current state,
 * 0 for the others), {@code sluice.breaker.calls} by outcome, {@code sluice.breaker.not.permitted},
 * {@code sluice.breaker.transitions} by the state entered.
 */
public final class CircuitBreakerMetrics implements MeterBinder, PolicyListener {
  private static final CircuitState[] STATES = CircuitState.values();

  private final List<CircuitBreaker> breakers = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicLongArray> transitions = new ConcurrentHashMap<>();
  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

  /** A binder tracking no breaker yet. */
  public CircuitBreakerMetrics() {}

  /**
   * Adds a breaker; registered at once on the registries already bound.
   *
   * @param breaker the breaker, built with this binder as a listener
   * @return this binder
   */
  public CircuitBreakerMetrics track(CircuitBreaker breaker) {
    Objects.requireNonNull(breaker, "breaker");
    breakers.add(breaker);
    for (MeterRegistry registry : registries) {
      register(registry, breaker);
    }
    return this;
  }

  @Override
  public void onEvent(PolicyEvent event) {
    if (event instanceof BreakerTransitioned transition) {
      counts(transition.breakerName()).incrementAndGet(transition.to().ordinal());
    }
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    registries.add(registry);
    for (CircuitBreaker breaker : breakers) {
      register(registry, breaker);
    }
  }

  private AtomicLongArray counts(String breaker) {
    return transitions.computeIfAbsent(breaker, k -> new AtomicLongArray(STATES.length));
  }

  private void register(MeterRegistry registry, CircuitBreaker breaker) {
    String name = breaker.name();
    for (CircuitState state : STATES) {
      Gauge.builder("sluice.breaker.state", breaker, b -> b.state() == state ? 1 : 0)
          .description("1 for the breaker's current state, 0 for the others")
          .tags("breaker", name, "state", TagValues.of(state))
          .strongReference(true)
          .register(registry);
      AtomicLongArray into = counts(name);
      FunctionCounter.builder("sluice.breaker.transitions", into, a -> a.get(state.ordinal()))
          .description("Transitions of the breaker, by the state it entered")
          .tags("breaker", name, "to", TagValues.of(state))
          .register(registry);
    }
    calls(registry, breaker, "success", c -> c.counts().successes());
    calls(registry, breaker, "failure", c -> c.counts().failures());
    calls(registry, breaker, "ignored", c -> c.counts().ignored());
    FunctionCounter.builder(
            "sluice.breaker.not.permitted", breaker, b -> b.snapshot().counts().rejected())
        .description("Calls the breaker refused")
        .tag("breaker", name)
        .register(registry);
  }

  private static void calls(
      MeterRegistry registry,
      CircuitBreaker breaker,
      String outcome,
      ToDoubleFunction<CircuitSnapshot> count) {
    FunctionCounter.builder("sluice.breaker.calls", breaker, b -> count.applyAsDouble(b.snapshot()))
        .description("Calls reported to the breaker, by outcome")
        .tags("breaker", breaker.name(), "outcome", outcome)
        .register(registry);
  }
}
