package dev.sluice.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TokenWindowProperties {
  private static final long BUDGET = 1_000;
  private static final long WINDOW_NANOS = Duration.ofSeconds(10).toNanos();

  /** One call: wait before it, its estimate, and what it actually spent. */
  record Call(long gapMillis, long estimate, long actual) {}

  @Provide
  Arbitrary<List<Call>> calls() {
    return Combinators.combine(
            Arbitraries.longs().between(0, 3_000),
            Arbitraries.longs().between(0, 400),
            Arbitraries.longs().between(0, 600))
        .as(Call::new)
        .list()
        .ofMaxSize(300);
  }

  @Property
  void theWindowNeverExceedsTheBudgetByMoreThanTheUnderEstimates(@ForAll("calls") List<Call> calls)
      throws Exception {
    ManualTimeSource time = new ManualTimeSource();
    TokenWindow window =
        new TokenWindow(time, new TokenBudget(BUDGET, Duration.ofNanos(WINDOW_NANOS)));
    List<long[]> admitted = new ArrayList<>(); // at, estimate, actual
    for (Call call : calls) {
      time.advance(Duration.ofMillis(call.gapMillis()));
      TokenWindow.Spend spend = window.reserve(call.estimate(), time.nanoTime());
      if (spend == null) {
        continue;
      }
      window.reconcile(spend, call.actual());
      admitted.add(new long[] {time.nanoTime(), call.estimate(), call.actual()});

      long now = time.nanoTime();
      long spent = 0;
      long underEstimated = 0;
      for (long[] a : admitted) {
        if (now - a[0] < WINDOW_NANOS) {
          spent += a[2];
          underEstimated += Math.max(0, a[2] - a[1]);
        }
      }
      assertThat(spent).isLessThanOrEqualTo(BUDGET + underEstimated);
      assertThat(window.used()).isEqualTo(spent);
    }
  }
}
