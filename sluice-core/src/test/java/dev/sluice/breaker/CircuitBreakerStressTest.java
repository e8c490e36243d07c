package dev.sluice.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.event.BreakerTransitioned;
import dev.sluice.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CircuitBreakerStressTest {
  private static final int THREADS = 16;
  private static final int CALLS_PER_THREAD = 20_000;

  /** What one thread did, counted by itself. */
  private record Tally(long attempts, long rejected, long successes, long failures, long ignored) {}

  @Test
  void manyThreadsThroughOneBreakerAndTheCountsAddUpExactly() throws Exception {
    ManualTimeSource time = new ManualTimeSource();
    ConcurrentLinkedQueue<BreakerTransitioned> transitions = new ConcurrentLinkedQueue<>();
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .config(
                CircuitBreakerConfig.builder()
                    .consecutiveFailures(5)
                    .failureRate(60, WindowType.COUNT_BASED, 50, 20)
                    .openDelay(Duration.ofMillis(5))
                    .halfOpenProbes(2)
                    .probeTimeout(Duration.ofMillis(50))
                    .build())
            .timeSource(time)
            .listener(event -> transitions.add((BreakerTransitioned) event))
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch go = new CountDownLatch(1);
    try {
      Future<?> clock =
          pool.submit(
              () -> {
                go.await();
                while (running.get()) {
                  time.advance(Duration.ofMillis(1));
                  Thread.onSpinWait();
                }
                return null;
              });
      List<Future<Tally>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        long seed = t;
        workers.add(pool.submit(() -> work(breaker, go, new SplittableRandom(seed))));
      }
      go.countDown();
      long attempts = 0;
      long rejected = 0;
      long successes = 0;
      long failures = 0;
      long ignored = 0;
      for (Future<Tally> worker : workers) {
        Tally tally = worker.get();
        attempts += tally.attempts();
        rejected += tally.rejected();
        successes += tally.successes();
        failures += tally.failures();
        ignored += tally.ignored();
      }
      running.set(false);
      clock.get();

      CircuitSnapshot.Counts counts = breaker.snapshot().counts();
      assertThat(attempts).isEqualTo((long) THREADS * CALLS_PER_THREAD);
      assertThat(counts.permitted() + counts.rejected()).isEqualTo(attempts);
      assertThat(counts.rejected()).isEqualTo(rejected);
      assertThat(counts.successes()).isEqualTo(successes);
      assertThat(counts.failures()).isEqualTo(failures);
      assertThat(counts.ignored()).isEqualTo(ignored);
      assertThat(counts.successes() + counts.failures() + counts.ignored())
          .isEqualTo(counts.permitted());
      assertThat(rejected).as("the breaker did open").isPositive();
      assertTransitionsBalance(transitions, breaker.state());
    } finally {
      running.set(false);
      pool.shutdownNow();
    }
  }

  @Test
  void manyThreadsThroughTheDecoratorsAndTheCountsAddUpExactly() throws Exception {
    ManualTimeSource time = new ManualTimeSource();
    CircuitBreaker breaker =
        CircuitBreaker.builder()
            .config(
                CircuitBreakerConfig.builder()
                    .consecutiveFailures(4)
                    .openDelay(Duration.ofMillis(2))
                    // the clock thread races ahead of a descheduled worker; no probe may time out
                    .probeTimeout(Duration.ofDays(365))
                    .ignoreOn(IllegalArgumentException.class)
                    .build())
            .timeSource(time)
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
    AtomicBoolean running = new AtomicBoolean(true);
    try {
      Future<?> clock =
          pool.submit(
              () -> {
                while (running.get()) {
                  time.advance(Duration.ofMillis(1));
                  Thread.onSpinWait();
                }
              });
      List<Future<Tally>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        SplittableRandom random = new SplittableRandom(100 + t);
        workers.add(pool.submit(() -> decorated(breaker, random)));
      }
      long rejected = 0;
      long successes = 0;
      long failures = 0;
      long ignored = 0;
      for (Future<Tally> worker : workers) {
        Tally tally = worker.get();
        rejected += tally.rejected();
        successes += tally.successes();
        failures += tally.failures();
        ignored += tally.ignored();
      }
      running.set(false);
      clock.get();
      assertThat(breaker.snapshot().counts())
          .isEqualTo(
              new CircuitSnapshot.Counts(
                  successes + failures + ignored, rejected, successes, failures, ignored, 0));
      assertThat(rejected).as("the breaker did open").isPositive();
    } finally {
      running.set(false);
      pool.shutdownNow();
    }
  }

  private static Tally decorated(CircuitBreaker breaker, SplittableRandom random) {
    long rejected = 0;
    long successes = 0;
    long failures = 0;
    long ignored = 0;
    for (int i = 0; i < CALLS_PER_THREAD; i++) {
      int roll = random.nextInt(100);
      try {
        breaker.get(
            () -> {
              if (roll < 45) {
                throw new IllegalStateException("failure");
              }
              if (roll >= 90) {
                throw new IllegalArgumentException("ignored");
              }
              return roll;
            });
        successes++;
      } catch (CircuitOpenException e) {
        rejected++;
      } catch (IllegalStateException e) {
        failures++;
      } catch (IllegalArgumentException e) {
        ignored++;
      }
    }
    return new Tally(CALLS_PER_THREAD, rejected, successes, failures, ignored);
  }

  private static Tally work(CircuitBreaker breaker, CountDownLatch go, SplittableRandom random)
      throws InterruptedException {
    go.await();
    long rejected = 0;
    long successes = 0;
    long failures = 0;
    long ignored = 0;
    for (int i = 0; i < CALLS_PER_THREAD; i++) {
      var permit = breaker.tryAcquire();
      if (permit.isEmpty()) {
        rejected++;
        continue;
      }
      int roll = random.nextInt(100);
      if (roll < 45) {
        permit.get().recordFailure();
        failures++;
      } else if (roll < 90) {
        permit.get().recordSuccess();
        successes++;
      } else {
        permit.get().recordIgnored();
        ignored++;
      }
    }
    return new Tally(CALLS_PER_THREAD, rejected, successes, failures, ignored);
  }

  /**
   * Each transition is announced exactly once, so for every state the transitions into it and out
   * of it balance, except for the first state (one more out) and the last (one more in).
   */
  private static void assertTransitionsBalance(
      ConcurrentLinkedQueue<BreakerTransitioned> transitions, CircuitState last) {
    Map<CircuitState, Integer> balance = new EnumMap<>(CircuitState.class);
    for (CircuitState state : CircuitState.values()) {
      balance.put(state, 0);
    }
    for (BreakerTransitioned t : transitions) {
      balance.merge(t.to(), 1, Integer::sum);
      balance.merge(t.from(), -1, Integer::sum);
    }
    Map<CircuitState, Integer> expected = new EnumMap<>(CircuitState.class);
    for (CircuitState state : CircuitState.values()) {
      expected.put(state, (state == last ? 1 : 0) - (state == CircuitState.CLOSED ? 1 : 0));
    }
    assertThat(balance).isEqualTo(expected);
    assertThat(transitions).hasSizeGreaterThan(3);
  }
}
