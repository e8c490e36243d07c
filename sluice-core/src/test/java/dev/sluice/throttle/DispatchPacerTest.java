package dev.sluice.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class DispatchPacerTest {
  private static final long MS = 1_000_000L;
  private static final long T0 = 1_000_000 * MS;

  @Test
  void rapidSequentialReservationsAreSpacedByTheInterval() {
    DispatchPacer pacer = new DispatchPacer(100 * MS, 0.0, new Random(1));
    assertThat(pacer.reserve(T0)).isEqualTo(T0);
    assertThat(pacer.reserve(T0)).isEqualTo(T0 + 100 * MS);
    assertThat(pacer.reserve(T0 + 10 * MS)).isEqualTo(T0 + 200 * MS);
    assertThat(pacer.reserve(T0 + 500 * MS)).isEqualTo(T0 + 500 * MS);
  }

  @Test
  void concurrentCallersGetDistinctSlotsOneIntervalApart() throws Exception {
    DispatchPacer pacer = new DispatchPacer(10 * MS, 0.0, new Random(1));
    List<Long> slots = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      start.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    slots.add(pacer.reserve(T0));
                  }));
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    List<Long> sorted = new ArrayList<>(slots);
    Collections.sort(sorted);
    for (int i = 0; i < sorted.size(); i++) {
      assertThat(sorted.get(i)).isEqualTo(T0 + i * 10 * MS);
    }
  }

  @Test
  void jitterStaysInsideTheSlot() {
    DispatchPacer pacer = new DispatchPacer(100 * MS, 0.5, new Random(7));
    for (int i = 0; i < 1_000; i++) {
      long slot = T0 + i * 100 * MS;
      assertThat(pacer.reserve(T0)).isBetween(slot, slot + 50 * MS - 1);
    }
  }

  @Test
  void zeroJitterIsDeterministic() {
    DispatchPacer a = new DispatchPacer(30 * MS, 0.0, new Random(1));
    DispatchPacer b = new DispatchPacer(30 * MS, 0.0, new Random(2));
    for (int i = 0; i < 10; i++) {
      assertThat(a.reserve(T0 + i)).isEqualTo(b.reserve(T0 + i));
    }
  }

  @Test
  void noIntervalMeansNoWait() {
    DispatchPacer pacer = new DispatchPacer(0, 0.5, new Random(1));
    assertThat(pacer.reserve(T0)).isEqualTo(T0);
    assertThat(pacer.reserve(T0)).isEqualTo(T0);
  }

  @Test
  void aPauseMovesEverySlotToItsEndAndAShorterOneNeverCutsItShort() {
    DispatchPacer pacer = new DispatchPacer(0, 0.0, new Random(1));
    pacer.pauseUntil(T0 + 5_000 * MS);
    pacer.pauseUntil(T0 + 1_000 * MS);
    assertThat(pacer.reserve(T0)).isEqualTo(T0 + 5_000 * MS);
    assertThat(pacer.reserve(T0 + 6_000 * MS)).isEqualTo(T0 + 6_000 * MS);
  }

  @Test
  void serverSpacingAppliesUntilItExpiresAndNeverLowersTheAdaptiveInterval() {
    DispatchPacer pacer = new DispatchPacer(10 * MS, 0.0, new Random(1));
    pacer.setServerSpacing(50 * MS, T0 + 1_000 * MS);
    assertThat(pacer.interval(T0)).isEqualTo(50 * MS);
    assertThat(pacer.interval(T0 + 1_000 * MS)).isEqualTo(10 * MS);
    pacer.setServerSpacing(1 * MS, T0 + 1_000 * MS);
    assertThat(pacer.interval(T0)).isEqualTo(10 * MS);
  }

  @Test
  void aLongerIntervalMovesTheNextFreeSlotSoTheFirstCallAfterASlowDownKeepsTheNewSpacing() {
    DispatchPacer pacer = new DispatchPacer(100 * MS, 0.0, new Random(1));
    assertThat(pacer.reserve(T0)).isEqualTo(T0);
    pacer.setAdaptiveInterval(300 * MS, T0 + 10 * MS);
    // without the move the next slot would be 100 ms after the last one booked
    assertThat(pacer.reserve(T0 + 10 * MS)).isEqualTo(T0 + 300 * MS);
    assertThat(pacer.reserve(T0 + 10 * MS)).isEqualTo(T0 + 600 * MS);
  }

  @Test
  void aShorterIntervalBringsTheNextFreeSlotForward() {
    DispatchPacer pacer = new DispatchPacer(400 * MS, 0.0, new Random(1));
    assertThat(pacer.reserve(T0)).isEqualTo(T0);
    pacer.setAdaptiveInterval(100 * MS, T0 + 10 * MS);
    assertThat(pacer.reserve(T0 + 10 * MS)).isEqualTo(T0 + 100 * MS);
  }

  @Test
  void theMoveKeepsTheServerSpacingWhileThatBinds() {
    DispatchPacer pacer = new DispatchPacer(100 * MS, 0.0, new Random(1));
    pacer.setServerSpacing(500 * MS, T0 + 10_000 * MS);
    assertThat(pacer.reserve(T0)).isEqualTo(T0);
    pacer.setAdaptiveInterval(200 * MS, T0 + 10 * MS); // still under the server's 500 ms
    assertThat(pacer.reserve(T0 + 10 * MS)).isEqualTo(T0 + 500 * MS);
  }
}
