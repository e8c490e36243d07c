package dev.sluice.metrics;

import dev.sluice.event.PolicyEvent;
import dev.sluice.event.PolicyListener;
import dev.sluice.event.ThrottleCeilingReset;
import dev.sluice.event.ThrottleSlowedDown;
import dev.sluice.event.ThrottleSpedUp;
import dev.sluice.throttle.Throttle;
import dev.sluice.throttle.ThrottleSnapshot;
import dev.sluice.throttle.ThrottleState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * Metrics of a {@link Throttle}: its snapshot as gauges (read at each scrape) and its slow-downs,
 * speed-ups and ceiling resets as counters (counted from {@link #of}). Creating the binder adds a
 * listener to the throttle.
 *
 * <pre>{@code
 * ThrottleMetrics.of(throttle, "partner-api").bindTo(registry);
 * }</pre>
 *
 * <p>Meters, tagged with the throttle's name: {@code sluice.throttle.concurrency}, {@code
 * .max.concurrency}, {@code .ceiling}, {@code .in.flight}, {@code .waiting}, {@code
 * .dispatch.interval} and {@code .server.interval} (seconds), {@code .state} (1 for the current
 * state), {@code .tokens.used}, {@code .tokens.remaining} (NaN without a budget), {@code
 * .progress.completed}, {@code .progress.total}, {@code .progress.eta} (seconds, NaN when unknown),
 * and the counters {@code .slow.downs}, {@code .speed.ups}, {@code .ceiling.resets}.
 */
public final class ThrottleMetrics implements MeterBinder {
  private final Throttle throttle;
  private final String name;
  private final LongAdder slowDowns = new LongAdder();
  private final LongAdder speedUps = new LongAdder();
  private final LongAdder ceilingResets = new LongAdder();

  private ThrottleMetrics(Throttle throttle, String name) {
    this.throttle = throttle;
    this.name = name;
  }

  /**
   * Observes a throttle, listening to it from now on.
   *
   * @param throttle the throttle
   * @param name the value of the {@code throttle} tag
   * @return the binder
   * @throws IllegalArgumentException if the name is blank
   */
  public static ThrottleMetrics of(Throttle throttle, String name) {
    Objects.requireNonNull(throttle, "throttle");
    ThrottleMetrics metrics =
        new ThrottleMetrics(throttle, TagValues.requireName("throttle.metrics.name", name));
    throttle.addListener(metrics.new Counting());
    return metrics;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    gauge(registry, "concurrency", "The concurrency limit in force", s -> s.concurrency());
    gauge(
        registry, "max.concurrency", "The configured maximum concurrency", s -> s.maxConcurrency());
    gauge(
        registry,
        "ceiling",
        "The highest concurrency speed-ups may reach now",
        s -> s.safeCeiling());
    gauge(registry, "in.flight", "Permits held now", s -> s.inFlight());
    gauge(registry, "waiting", "Callers queued for a concurrency slot", s -> s.waiting());
    timeGauge(
        registry,
        "dispatch.interval",
        "The spacing between dispatches in force",
        s -> s.dispatchInterval().toNanos());
    timeGauge(
        registry,
        "server.interval",
        "The spacing the server's rate-limit headers ask for",
        s -> s.serverInterval().toNanos());
    timeGauge(
        registry,
        "progress.eta",
        "Estimated time to finish; NaN when unknown",
        s -> s.eta().isPresent() ? s.eta().get().toNanos() : Double.NaN);
    gauge(
        registry,
        "tokens.used",
        "Tokens spent or reserved in the budget window",
        s -> s.tokensUsed());
    gauge(
        registry,
        "tokens.remaining",
        "Tokens left in the budget window; NaN without a budget",
        s -> s.tokensRemaining().isPresent() ? s.tokensRemaining().getAsLong() : Double.NaN);
    gauge(registry, "progress.completed", "Tasks completed successfully", s -> s.completedTasks());
    gauge(
        registry,
        "progress.total",
        "The configured total of tasks, 0 if unknown",
        s -> s.totalTasks());
    for (ThrottleState state : ThrottleState.values()) {
      Gauge.builder("sluice.throttle.state", throttle, t -> t.state() == state ? 1 : 0)
          .description("1 for the throttle's current state, 0 for the others")
          .tags("throttle", name, "state", TagValues.of(state))
          .strongReference(true)
          .register(registry);
    }
    counter(registry, "slow.downs", "Slow-downs after reaching the failure threshold", slowDowns);
    counter(registry, "speed.ups", "Speed-up steps after a cooling period", speedUps);
    counter(registry, "ceiling.resets", "Safe ceiling returns to the maximum", ceilingResets);
  }

  private void gauge(
      MeterRegistry registry, String suffix, String help, ToDoubleFunction<ThrottleSnapshot> f) {
    Gauge.builder("sluice.throttle." + suffix, throttle, t -> f.applyAsDouble(t.snapshot()))
        .description(help)
        .tag("throttle", name)
        .strongReference(true)
        .register(registry);
  }

  private void timeGauge(
      MeterRegistry registry,
      String suffix,
      String help,
      ToDoubleFunction<ThrottleSnapshot> nanos) {
    TimeGauge.builder(
            "sluice.throttle." + suffix,
            throttle,
            TimeUnit.NANOSECONDS,
            t -> nanos.applyAsDouble(t.snapshot()))
        .description(help)
        .tag("throttle", name)
        .strongReference(true)
        .register(registry);
  }

  private void counter(MeterRegistry registry, String suffix, String help, LongAdder count) {
    FunctionCounter.builder("sluice.throttle." + suffix, count, LongAdder::sum)
        .description(help)
        .tag("throttle", name)
        .register(registry);
  }

  /** Counts the throttle's adjustments. */
  private final class Counting implements PolicyListener {
    @Override
    public void onEvent(PolicyEvent event) {
      if (event instanceof ThrottleSlowedDown) {
        slowDowns.increment();
      } else if (event instanceof ThrottleSpedUp) {
        speedUps.increment();
      } else if (event instanceof ThrottleCeilingReset) {
        ceilingResets.increment();
      }
    }
  }
}
