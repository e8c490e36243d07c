package dev.sluice.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTrackerTest {
  private static final long MS = 1_000_000L;

  @Test
  void countsCompletionsAndPercentage() {
    ProgressTracker progress = new ProgressTracker(8);
    progress.recordCompletion(0);
    progress.recordCompletion(MS);
    assertThat(progress.completed()).isEqualTo(2);
    assertThat(progress.percentage()).isEqualTo(25.0);
  }

  @Test
  void reportsEachTenPercentMilestoneOnce() {
    ProgressTracker progress = new ProgressTracker(20);
    List<Integer> milestones = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int m = progress.recordCompletion(i * MS);
      if (m > 0) {
        milestones.add(m);
      }
    }
    assertThat(milestones).containsExactly(10, 20, 30, 40, 50, 60, 70, 80, 90, 100);
  }

  @Test
  void etaComesFromKnownThroughput() {
    ProgressTracker progress = new ProgressTracker(100);
    for (int i = 0; i < 10; i++) {
      progress.recordCompletion(i * 100 * MS); // one every 100 ms
    }
    assertThat(progress.eta()).contains(Duration.ofSeconds(9)); // 90 left x 100 ms
  }

  @Test
  void zeroTotalMeansNoEtaAndNoPercentage() {
    ProgressTracker progress = new ProgressTracker(0);
    progress.recordCompletion(0);
    progress.recordCompletion(MS);
    assertThat(progress.eta()).isEmpty();
    assertThat(progress.percentage()).isZero();
    assertThat(progress.recordCompletion(2 * MS)).isZero();
  }

  @Test
  void singleTaskCompletes() {
    ProgressTracker progress = new ProgressTracker(1);
    assertThat(progress.recordCompletion(0)).isEqualTo(100);
    assertThat(progress.percentage()).isEqualTo(100.0);
    assertThat(progress.eta()).contains(Duration.ZERO);
  }

  @Test
  void etaIsUnknownUntilTwoCompletions() {
    ProgressTracker progress = new ProgressTracker(10);
    progress.recordCompletion(0);
    assertThat(progress.eta()).isEmpty();
  }
}
