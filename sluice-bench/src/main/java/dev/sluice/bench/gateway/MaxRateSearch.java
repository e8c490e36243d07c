package dev.sluice.bench.gateway;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The highest sustainable arrival rate of one target: steps of a few seconds at a rising rate
 * (doubling from the start rate), then a bisection between the last rate sustained and the first
 * one not. A rate is sustained when its step has a p99 at most {@code boundMillis} (from the
 * intended send time, so a target that falls behind fails by its growing queue) and no errors (no
 * connection failure, timeout or status other than 2xx/429).
 */
final class MaxRateSearch {
  /** One step of the search. */
  record Step(LoadResult result, boolean sustained) {}

  /** The outcome: the highest rate sustained (0 if none) and every step, in order. */
  record Outcome(int highest, boolean capped, List<Step> steps) {}

  private final LoadDriver driver;
  private final int stepSeconds;
  private final double boundMillis;
  private final int maxRate;

  MaxRateSearch(LoadDriver driver, int stepSeconds, double boundMillis, int maxRate) {
    this.driver = driver;
    this.stepSeconds = stepSeconds;
    this.boundMillis = boundMillis;
    this.maxRate = maxRate;
  }

  Outcome search(URI target, int startRate, int refinements) throws Exception {
    List<Step> steps = new ArrayList<>();
    int sustained = 0;
    int failed = -1;
    for (int rate = startRate; failed < 0; rate *= 2) {
      if (rate > maxRate) {
        return new Outcome(sustained, true, steps);
      }
      if (step(target, rate, steps)) {
        sustained = rate;
      } else {
        failed = rate;
      }
    }
    for (int i = 0; i < refinements; i++) {
      int rate = (sustained + failed) / 2 / 100 * 100;
      if (rate <= sustained || rate >= failed) {
        break;
      }
      if (step(target, rate, steps)) {
        sustained = rate;
      } else {
        failed = rate;
      }
    }
    return new Outcome(sustained, false, steps);
  }

  private boolean step(URI target, int rate, List<Step> steps) throws Exception {
    LoadResult result = driver.run(List.of(target), rate, stepSeconds);
    boolean ok = result.errors() == 0 && result.millis(99) <= boundMillis;
    steps.add(new Step(result, ok));
    System.out.printf("  step %s: %s%n", ok ? "sustained" : "NOT sustained", result);
    // let queues, connections and collectors settle before the next step
    Thread.sleep(2_000);
    return ok;
  }
}
