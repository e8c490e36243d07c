package dev.sluice.throttle;

import dev.sluice.event.PolicyEvent;
import dev.sluice.event.PolicyListener;
import dev.sluice.event.ThrottleCeilingReset;
import dev.sluice.event.ThrottleMilestone;
import dev.sluice.event.ThrottleSlowedDown;
import dev.sluice.event.ThrottleSpedUp;
import dev.sluice.event.ThrottleStateChanged;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The adaptive half of a {@link Throttle}: feeds outcomes to the {@link RateController}, applies
 * its limits to the concurrency gate and the pacer, and tells listeners of slow-downs, speed-ups,
 * ceiling resets, milestones and state changes, never after the throttle stopped adapting.
 *
 * <p>Reviews are cheap when nothing is due (one volatile read); adaptation happens under one lock
 * that a review only tries, so callers never queue behind another caller's review.
 */
final class ThrottleAdaptation {
  private static final System.Logger LOG = System.getLogger(Throttle.class.getName());

  /** The controller's figures at one moment, for a snapshot. */
  record Figures(int concurrency, int ceiling, int failuresInWindow) {}

  private final CallMeter meter;
  private final RateController controller;
  private final ConcurrencyGate gate;
  private final DispatchPacer pacer;
  private final ProgressTracker progress;
  private final BooleanSupplier adapting;
  private final Supplier<ThrottleState> state;
  private final Supplier<ThrottleSnapshot> snapshot;
  private final ReentrantLock adaptLock = new ReentrantLock();
  private final ReentrantLock stateLock = new ReentrantLock();
  private final List<PolicyListener> listeners = new CopyOnWriteArrayList<>();
  private ThrottleState reportedState = ThrottleState.RUNNING;
  private volatile long nextReview;
  private volatile long generation;
  private volatile boolean cooling;

  /** Whether a caller waited for the adaptive rate or for concurrency since the last review. */
  private volatile boolean constrained;

  ThrottleAdaptation(
      CallMeter meter,
      RateController controller,
      ConcurrencyGate gate,
      DispatchPacer pacer,
      ProgressTracker progress,
      BooleanSupplier adapting,
      Supplier<ThrottleState> state,
      Supplier<ThrottleSnapshot> snapshot) {
    this.meter = meter;
    this.controller = controller;
    this.gate = gate;
    this.pacer = pacer;
    this.progress = progress;
    this.adapting = adapting;
    this.state = state;
    this.snapshot = snapshot;
    this.nextReview = controller.nextReview();
  }

  void addListener(PolicyListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  void removeListener(PolicyListener listener) {
    listeners.remove(listener);
  }

  /** The adaptive generation: it changes with every slow-down and speed-up. */
  long generation() {
    return generation;
  }

  /** Whether a review is due at some time (so the clock must be read). */
  boolean reviewPending() {
    return nextReview != Long.MAX_VALUE;
  }

  /** Whether the adaptive state is cooling after a slow-down. */
  boolean cooling() {
    return cooling;
  }

  Figures figures(long now) {
    adaptLock.lock();
    try {
      return new Figures(
          controller.concurrency(), controller.ceiling(), controller.failuresInWindow(now));
    } finally {
      adaptLock.unlock();
    }
  }

  void markConstrained() {
    if (!constrained) {
      constrained = true;
    }
  }

  /** A call succeeded at {@code now}, {@code latency} after its dispatch. */
  void onSuccess(long now, long latency, long bookedNanos) {
    meter.record(now, latency, bookedNanos);
    afterSuccess(now);
  }

  /** A success the caller did not time (a success reported outside a permit, say). */
  void afterSuccess(long now) {
    review(now);
    int milestone = progress.recordCompletion(now);
    if (milestone > 0 && !listeners.isEmpty()) {
      ThrottleSnapshot figures = snapshot.get();
      tell(new ThrottleMilestone(milestone, figures));
    }
  }

  /** A call booked in {@code dispatchGeneration} (-1: outside a permit) failed at {@code now}. */
  void onFailure(long now, long dispatchGeneration) {
    meter.recordFailure(now);
    if (!adapting.getAsBoolean()) {
      return; // a closed throttle no longer adapts, and reports nothing more
    }
    Adjustment slowDown = null;
    List<RateController.Step> steps;
    adaptLock.lock();
    try {
      steps = reviewLocked(now, consumeConstrained());
      if (controller.onFailure(now, dispatchGeneration) == RateController.Verdict.SLOWED_DOWN) {
        slowDown = controller.last();
        applyLimitsLocked(now);
      }
      nextReview = controller.nextReview();
    } finally {
      adaptLock.unlock();
    }
    fire(steps);
    if (slowDown != null) {
      LOG.log(
          Level.INFO,
          "throttle slowed down: concurrency {0} -> {1}, interval {2} -> {3}, safe ceiling {4}",
          slowDown.oldConcurrency(),
          slowDown.newConcurrency(),
          slowDown.oldInterval(),
          slowDown.newInterval(),
          slowDown.safeCeiling());
      tell(new ThrottleSlowedDown(slowDown));
    }
    publishState();
  }

  /** The server announced a request rate, to be held until {@code until}. */
  void onServerRate(long now, double perSecond, long until) {
    if (!adapting.getAsBoolean()) {
      return;
    }
    adaptLock.lock();
    try {
      controller.onServerRate(now, perSecond, until);
      applyLimitsLocked(now);
    } finally {
      adaptLock.unlock();
    }
  }

  /** Applies speed-up steps and ceiling resets that are due; cheap when none is. */
  void review(long now) {
    if (now < nextReview || !adapting.getAsBoolean()) {
      return;
    }
    List<RateController.Step> steps;
    if (!adaptLock.tryLock()) {
      return; // another caller is reviewing right now
    }
    try {
      steps = reviewLocked(now, consumeConstrained());
      nextReview = controller.nextReview();
    } finally {
      adaptLock.unlock();
    }
    fire(steps);
    if (!steps.isEmpty()) {
      publishState();
    }
  }

  /** Tells listeners of a state change since the last one told, once. */
  void publishState() {
    stateLock.lock();
    try {
      ThrottleState now = state.get();
      ThrottleState before = reportedState;
      if (now != before) {
        reportedState = now;
        LOG.log(Level.INFO, "throttle state {0} -> {1}", before, now);
        tell(new ThrottleStateChanged(before, now));
      }
    } finally {
      stateLock.unlock();
    }
  }

  private List<RateController.Step> reviewLocked(long now, boolean waited) {
    List<RateController.Step> steps = controller.review(now, waited);
    applyLimitsLocked(now);
    return steps;
  }

  private void applyLimitsLocked(long now) {
    gate.setLimit(controller.concurrency());
    pacer.setAdaptiveInterval(controller.intervalNanos(), now);
    generation = controller.generation();
    cooling = controller.cooling(now);
  }

  private boolean consumeConstrained() {
    boolean waited = constrained;
    if (waited) {
      constrained = false;
    }
    return waited || gate.queued() > 0;
  }

  private void fire(List<RateController.Step> steps) {
    if (steps.isEmpty() || !adapting.getAsBoolean()) {
      return;
    }
    for (RateController.Step step : steps) {
      if (step.ceilingReset()) {
        LOG.log(
            Level.DEBUG,
            "throttle safe ceiling reset {0} -> {1}",
            step.oldCeiling(),
            step.adjustment().safeCeiling());
        tell(new ThrottleCeilingReset(step.oldCeiling(), step.adjustment().safeCeiling()));
      } else {
        LOG.log(Level.DEBUG, "throttle sped up: {0}", step.adjustment());
        tell(new ThrottleSpedUp(step.adjustment()));
      }
    }
  }

  private void tell(PolicyEvent event) {
    for (PolicyListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "throttle listener failed", e);
      }
    }
  }
}
