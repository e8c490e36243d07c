package dev.sluice.throttle;

import dev.sluice.event.PolicyEvent;
import dev.sluice.event.PolicyListener;
import dev.sluice.event.ThrottleCeilingReset;
import dev.sluice.event.ThrottleMilestone;
import dev.sluice.event.ThrottleSlowedDown;
import dev.sluice.event.ThrottleSpedUp;
import dev.sluice.event.ThrottleStateChanged;
import dev.sluice.time.ManualTimeSource;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared helpers: a throttle on manual time, and recorders of its events. */
final class ThrottleTestSupport {
  private ThrottleTestSupport() {}

  /** Starts unpaced at full concurrency (no slow start), so tests see one behaviour at a time. */
  static ThrottleConfig.Builder quiet() {
    return ThrottleConfig.builder()
        .maxConcurrency(8)
        .initialRate(0)
        .failureThreshold(3)
        .jitterFraction(0)
        .coolingPeriod(Duration.ofSeconds(10))
        .safeCeilingDecay(Duration.ofSeconds(300));
  }

  static Throttle throttle(ThrottleConfig config, ManualTimeSource time) {
    return Throttle.create(config, time, new Random(1));
  }

  /** One call that fails with an I/O error. */
  static void failOnce(Throttle throttle) throws InterruptedException {
    try (Permit permit = throttle.acquire()) {
      permit.recordFailure(new IOException("HTTP 503"));
    }
  }

  /** One call that succeeds. */
  static void succeedOnce(Throttle throttle) throws InterruptedException {
    try (Permit permit = throttle.acquire()) {
      permit.recordSuccess();
    }
  }

  /** Records every event a throttle reports. */
  static final class Events implements PolicyListener {
    final List<Adjustment> slowDowns = new CopyOnWriteArrayList<>();
    final List<Adjustment> speedUps = new CopyOnWriteArrayList<>();
    final List<String> states = new CopyOnWriteArrayList<>();
    final List<Integer> milestones = new CopyOnWriteArrayList<>();
    final List<Integer> ceilingResets = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(PolicyEvent event) {
      if (event instanceof ThrottleSlowedDown e) {
        slowDowns.add(e.change());
      } else if (event instanceof ThrottleSpedUp e) {
        speedUps.add(e.change());
      } else if (event instanceof ThrottleCeilingReset e) {
        ceilingResets.add(e.to());
      } else if (event instanceof ThrottleStateChanged e) {
        states.add(e.from() + "->" + e.to());
      } else if (event instanceof ThrottleMilestone e) {
        milestones.add(e.percent());
      }
    }
  }
}
